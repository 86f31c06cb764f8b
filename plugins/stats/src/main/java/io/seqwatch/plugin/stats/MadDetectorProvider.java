package io.seqwatch.plugin.stats;

import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Quantiles;

/**
 * {@code mad}: robust z-score |x - median| / (1.4826 x MAD) per feature, aggregated. When the MAD is
 * 0 the scale falls back to 1.2533 x the mean absolute deviation from the median.
 *
 * <p>Thread-safety: stateless.
 */
public final class MadDetectorProvider extends StandardizedDetectorProvider {
  @Override
  public String name() {
    return "mad";
  }

  @Override
  public String description() {
    return "robust z-score |x - median| / (1.4826 MAD) per feature, aggregated";
  }

  @Override
  double center(FeatureStatistics stats, int j) {
    return stats.median(j);
  }

  @Override
  double scale(FeatureStatistics stats, double[] column, int j) {
    double s = 1.4826 * Quantiles.mad(column);
    if (s > 0) {
      return s;
    }
    double sum = 0;
    for (double x : column) {
      sum += Math.abs(x - stats.median(j));
    }
    return 1.2533 * sum / column.length;
  }
}
