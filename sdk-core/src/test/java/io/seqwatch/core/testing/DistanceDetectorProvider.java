package io.seqwatch.core.testing;

import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Test fixture {@code test-distance}: standardized Euclidean distance from the training mean. Lets
 * sdk-core test pipelines and bundles without depending on a plugin module.
 */
public class DistanceDetectorProvider implements DetectorProvider {
  private final String name;

  public DistanceDetectorProvider() {
    this("test-distance");
  }

  /** The same detector under another name (for registries built in a test). */
  protected DistanceDetectorProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "test fixture: distance from the training mean";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("power", 2, "norm power"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    double power = o.getDouble("power", 1, 8);
    return Detector.of(name(), Representation.FEATURES, t -> {
      FeatureStatistics st = FeatureStatistics.of(VectorModel.vectors(t));
      return new DistanceModel(VectorModel.provenanceFor(this, o, t, Map.of()), st, power);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    return new DistanceModel(VectorModel.readProvenance(p), FeatureStatistics.readFrom(p), p.doubleValue("power"));
  }

  static final class DistanceModel extends VectorModel {
    private final double power;

    DistanceModel(ModelProvenance p, FeatureStatistics s, double power) {
      super(p, s);
      this.power = power;
    }

    @Override
    protected double score(double[] x) {
      double s = 0;
      for (double c : contributions(x)) {
        s += Math.pow(c, power);
      }
      return Math.pow(s, 1 / power);
    }

    @Override
    protected double[] contributions(double[] x) {
      double[] c = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        c[j] = Math.abs(x[j] - statistics().mean(j)) / Math.max(1e-6, statistics().std(j));
      }
      return c;
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("power", power);
    }
  }
}
