package io.seqwatch.spi.support;

import java.util.Arrays;

/**
 * Order statistics used by detectors and threshold policies, with one interpolation rule
 * everywhere (linear between closest ranks, as numpy's default).
 *
 * <p>Thread-safety: stateless.
 */
public final class Quantiles {
  private Quantiles() {}

  /**
   * The {@code q}-quantile of already sorted values.
   *
   * @param sorted ascending, not empty
   * @param q in [0, 1]
   */
  public static double ofSorted(double[] sorted, double q) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1]: " + q);
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The {@code q}-quantile of values in any order (copies and sorts). */
  public static double of(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    return ofSorted(s, q);
  }

  /** The median of values in any order. */
  public static double median(double[] values) {
    return of(values, 0.5);
  }

  /** Median absolute deviation from the median (unscaled). */
  public static double mad(double[] values) {
    double m = median(values);
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.abs(values[i] - m);
    }
    return median(d);
  }
}
