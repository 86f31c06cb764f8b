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
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Test fixture {@code test-levels}: a score with two tied levels whose height grows with the
 * number of training sequences, as a discrete score's scale can differ between the held-out models
 * (fitted on four fifths) and the final model. Half the sequences (by their first feature's parity)
 * sit on the upper level.
 *
 * <p>Thread-safety: stateless; its models are immutable.
 */
public final class LevelsDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "test-levels";
  }

  @Override
  public String description() {
    return "test fixture: two tied score levels scaled by the training-set size";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    return Detector.of(name(), Representation.FEATURES, t -> new LevelsModel(
        VectorModel.provenanceFor(this, o, t, Map.of()), FeatureStatistics.of(VectorModel.vectors(t)),
        1 + t.observations().size() / 1000.0));
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    return new LevelsModel(VectorModel.readProvenance(p), FeatureStatistics.readFrom(p), p.doubleValue("scale"));
  }

  static final class LevelsModel extends VectorModel {
    private final double scale;

    LevelsModel(ModelProvenance p, FeatureStatistics s, double scale) {
      super(p, s);
      this.scale = scale;
    }

    @Override
    protected double score(double[] x) {
      return scale * (Math.floorMod((long) x[0], 2) == 0 ? 1 : 2);
    }

    @Override
    protected double[] contributions(double[] x) {
      return new double[x.length];
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("scale", scale);
    }
  }
}
