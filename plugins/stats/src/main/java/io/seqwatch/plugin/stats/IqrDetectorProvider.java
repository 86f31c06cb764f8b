package io.seqwatch.plugin.stats;

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
 * {@code iqr}: Tukey's boxplot fences per feature. A value outside [Q1 - k IQR, Q3 + k IQR] scores
 * its distance beyond the fence in IQR units; inside the fences it scores 0. Feature scores are
 * summed, so the score reads as "how many IQRs outside the box, in all".
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class IqrDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "iqr";
  }

  @Override
  public String description() {
    return "boxplot fences: distance beyond Q1 - k*IQR / Q3 + k*IQR per feature, summed";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("k", 1.5, "fence width in IQRs (1.5 outliers, 3 far out)"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    double k = o.getDouble("k", 0, 100);
    return Detector.of(name(), Representation.FEATURES, t -> {
      FeatureStatistics stats = FeatureStatistics.of(VectorModel.vectors(t));
      t.listener().progress(1, 1, "fitted fences");
      return new IqrModel(VectorModel.provenanceFor(this, o, t,
          Map.of("features", Integer.toString(stats.schema().size()))), stats, k);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    return new IqrModel(VectorModel.readProvenance(p), FeatureStatistics.readFrom(p), p.doubleValue("k"));
  }

  /** Immutable fences model. */
  static final class IqrModel extends VectorModel {
    private final double k;

    IqrModel(ModelProvenance p, FeatureStatistics stats, double k) {
      super(p, stats);
      this.k = k;
    }

    @Override
    protected double score(double[] x) {
      double s = 0;
      for (double c : contributions(x)) {
        s += c;
      }
      return s;
    }

    @Override
    protected double[] contributions(double[] x) {
      FeatureStatistics st = statistics();
      double[] out = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        double iqr = st.q3(j) - st.q1(j);
        double unit = StandardizedModel.floor(iqr, st.median(j));
        double lo = st.q1(j) - k * iqr;
        double hi = st.q3(j) + k * iqr;
        double beyond = x[j] > hi ? x[j] - hi : x[j] < lo ? lo - x[j] : 0;
        out[j] = Math.min(1e6, beyond / unit);
      }
      return out;
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("k", k);
    }
  }
}
