package io.seqwatch.plugin.stats;

import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
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
 * {@code hbos}: histogram-based outlier score (Goldstein and Dengel, 2012). One equal-width
 * histogram per feature over the training range; a value scores {@code -log((h + alpha) / (1 +
 * alpha))} where h is its bin's height relative to the tallest bin. Values further than {@code tol}
 * bin widths outside the range get height 0. Scores add up over features (independence assumption).
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class HbosDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "hbos";
  }

  @Override
  public String description() {
    return "histogram-based outlier score: sum of -log(bin density) over features";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofInt("bins", 10, "bins per feature histogram"),
        OptionSpec.ofDouble("alpha", 0.1, "density regulariser; larger flattens rare bins"),
        OptionSpec.ofDouble("tol", 0.5, "how many bin widths outside the range still count as the edge bin"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    int bins = o.getInt("bins", 2, 10_000);
    double alpha = o.getDouble("alpha", 1e-6, 100);
    double tol = o.getDouble("tol", 0, 1000);
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      int d = stats.schema().size();
      double[] min = new double[d];
      double[] max = new double[d];
      double[] heights = new double[d * bins];
      for (int j = 0; j < d; j++) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (FeatureVector f : v) {
          lo = Math.min(lo, f.get(j));
          hi = Math.max(hi, f.get(j));
        }
        min[j] = lo;
        max[j] = hi;
        double[] counts = new double[bins];
        for (FeatureVector f : v) {
          counts[HbosModel.bin(f.get(j), lo, hi, bins)]++;
        }
        double top = 0;
        for (double c : counts) {
          top = Math.max(top, c);
        }
        for (int b = 0; b < bins; b++) {
          heights[j * bins + b] = counts[b] / top;
        }
      }
      t.listener().progress(1, 1, "built " + d + " histograms");
      return new HbosModel(VectorModel.provenanceFor(this, o, t, Map.of("features", Integer.toString(d))),
          stats, bins, alpha, tol, min, max, heights);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    FeatureStatistics stats = FeatureStatistics.readFrom(p);
    int bins = p.intValue("bins");
    double[] min = p.doubles("min");
    double[] max = p.doubles("max");
    double[] h = p.doubles("heights");
    int d = stats.schema().size();
    if (bins < 2 || min.length != d || max.length != d || h.length != (long) d * bins) {
      throw new ModelFormatException("hbos model: histogram arrays do not match " + d + " features x " + bins + " bins");
    }
    return new HbosModel(VectorModel.readProvenance(p), stats, bins, p.doubleValue("alpha"),
        p.doubleValue("tol"), min, max, h);
  }

  /** Immutable histograms. */
  static final class HbosModel extends VectorModel {
    private final int bins;
    private final double alpha;
    private final double tol;
    private final double[] min;
    private final double[] max;
    private final double[] heights;

    HbosModel(ModelProvenance p, FeatureStatistics stats, int bins, double alpha, double tol,
        double[] min, double[] max, double[] heights) {
      super(p, stats);
      this.bins = bins;
      this.alpha = alpha;
      this.tol = tol;
      this.min = min;
      this.max = max;
      this.heights = heights;
    }

    static int bin(double x, double lo, double hi, int bins) {
      if (hi <= lo) {
        return 0;
      }
      int b = (int) Math.floor((x - lo) / (hi - lo) * bins);
      return Math.max(0, Math.min(bins - 1, b));
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
      double[] out = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        double width = max[j] > min[j] ? (max[j] - min[j]) / bins : 0;
        double slack = tol * width;
        double h;
        if (x[j] < min[j] - slack || x[j] > max[j] + slack) {
          h = 0;
        } else {
          h = heights[j * bins + bin(x[j], min[j], max[j], bins)];
        }
        out[j] = -Math.log((h + alpha) / (1 + alpha));
      }
      return out;
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("bins", bins).put("alpha", alpha).put("tol", tol).put("min", min).put("max", max)
          .put("heights", heights);
    }
  }
}
