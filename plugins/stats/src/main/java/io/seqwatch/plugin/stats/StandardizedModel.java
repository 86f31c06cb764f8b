package io.seqwatch.plugin.stats;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;

/**
 * Distance from a per-feature center in units of a per-feature scale, clipped and aggregated: the
 * model behind {@code zscore} (mean, standard deviation) and {@code mad} (median, 1.4826 x MAD).
 *
 * <p>Thread-safety: immutable, safe for concurrent scoring.
 */
final class StandardizedModel extends VectorModel {
  private final double[] center;
  private final double[] scale;
  private final double clip;
  private final Aggregate aggregate;

  StandardizedModel(ModelProvenance p, FeatureStatistics stats, double[] center, double[] scale,
      double clip, Aggregate aggregate) {
    super(p, stats);
    if (center.length != stats.schema().size() || scale.length != center.length) {
      throw new ModelFormatException("center/scale have " + center.length + "/" + scale.length
          + " values for " + stats.schema().size() + " features");
    }
    this.center = center;
    this.scale = scale;
    this.clip = clip;
    this.aggregate = aggregate;
  }

  /** A scale of 0 (constant feature) becomes a small floor so a change from the constant counts. */
  static double floor(double scale, double center) {
    double f = 1e-3 * (1 + Math.abs(center));
    return Math.max(scale, f);
  }

  @Override
  protected double score(double[] x) {
    return aggregate.apply(contributions(x));
  }

  @Override
  protected double[] contributions(double[] x) {
    double[] z = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      z[j] = Math.min(clip, Math.abs(x[j] - center[j]) / scale[j]);
    }
    return z;
  }

  @Override
  protected void writeParameters(Parameters.Builder b) {
    b.put("center", center).put("scale", scale).put("clip", clip).put("aggregate", aggregate.name());
  }

  static StandardizedModel read(Parameters p) {
    Aggregate a;
    try {
      a = Aggregate.valueOf(p.string("aggregate"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("unknown aggregate '" + p.string("aggregate") + "'");
    }
    return new StandardizedModel(readProvenance(p), FeatureStatistics.readFrom(p), p.doubles("center"),
        p.doubles("scale"), p.doubleValue("clip"), a);
  }
}
