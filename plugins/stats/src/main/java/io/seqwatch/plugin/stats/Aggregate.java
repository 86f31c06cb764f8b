package io.seqwatch.plugin.stats;

import io.seqwatch.api.ConfigurationException;

/**
 * How per-feature deviations combine into one score.
 *
 * <p>Thread-safety: enum, immutable.
 */
enum Aggregate {
  RMS,
  MAX,
  MEAN,
  SUM;

  static Aggregate parse(String s) {
    return switch (s) {
      case "rms" -> RMS;
      case "max" -> MAX;
      case "mean" -> MEAN;
      case "sum" -> SUM;
      default -> throw new ConfigurationException("aggregate '" + s + "' is not one of rms, max, mean, sum");
    };
  }

  double apply(double[] d) {
    double acc = 0;
    for (double x : d) {
      acc = switch (this) {
        case RMS -> acc + x * x;
        case MAX -> Math.max(acc, x);
        case MEAN, SUM -> acc + x;
      };
    }
    return switch (this) {
      case RMS -> Math.sqrt(acc / Math.max(1, d.length));
      case MEAN -> acc / Math.max(1, d.length);
      default -> acc;
    };
  }
}
