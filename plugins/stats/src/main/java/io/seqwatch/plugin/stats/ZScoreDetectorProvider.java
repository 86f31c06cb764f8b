package io.seqwatch.plugin.stats;

import io.seqwatch.spi.support.FeatureStatistics;

/**
 * {@code zscore}: per-feature |x - mean| / std, aggregated (RMS by default). Fast and transparent;
 * sensitive to outliers in the training data (use {@code mad} when the data is dirty).
 *
 * <p>Thread-safety: stateless.
 */
public final class ZScoreDetectorProvider extends StandardizedDetectorProvider {
  @Override
  public String name() {
    return "zscore";
  }

  @Override
  public String description() {
    return "per-feature z-score |x - mean| / std, aggregated";
  }

  @Override
  double center(FeatureStatistics stats, int j) {
    return stats.mean(j);
  }

  @Override
  double scale(FeatureStatistics stats, double[] column, int j) {
    return stats.std(j);
  }
}
