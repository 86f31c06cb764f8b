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

  /** The {@code q}-quantile of values in any order (selects in a copy: the value of sorting it). */
  public static double of(double[] values, double q) {
    return ofUnordered(values.clone(), q)[0];
  }

  /**
   * The {@code qs}-quantiles of values in any order, each exactly what {@link #ofSorted} gives on
   * the values sorted by {@link Arrays#sort(double[])} ({@code -0.0} before {@code 0.0}, NaN last),
   * found by selection in expected linear time per quantile instead of a sort. {@code scratch} is
   * reordered.
   *
   * @param scratch the values, not empty; their order is lost
   * @param qs each in [0, 1]
   */
  public static double[] ofUnordered(double[] scratch, double... qs) {
    if (scratch.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] out = new double[qs.length];
    int n = scratch.length;
    Integer[] order = new Integer[qs.length]; // ascending quantiles: each selection starts past the last
    for (int i = 0; i < qs.length; i++) {
      if (!(qs[i] >= 0 && qs[i] <= 1)) {
        throw new IllegalArgumentException("q must be in [0, 1]: " + qs[i]);
      }
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(qs[x], qs[y]));
    int from = 0; // ranks below it are placed and not greater than any rank from it on
    for (int i : order) {
      double pos = qs[i] * (n - 1);
      int lo = (int) Math.floor(pos);
      double low = select(scratch, Math.min(from, lo), lo);
      from = lo;
      double high = low;
      if (lo + 1 < n) { // everything right of the selected rank is at least its value: the next rank is their least
        high = scratch[lo + 1];
        for (int k = lo + 2; k < n; k++) {
          if (compare(scratch[k], high) < 0) {
            high = scratch[k];
          }
        }
      }
      out[i] = low + (pos - lo) * (high - low);
    }
    return out;
  }

  /** The order of {@link Arrays#sort(double[])}: {@link Double#compare}, with the common case first. */
  private static int compare(double a, double b) {
    return a < b ? -1 : a > b ? 1 : Double.compare(a, b);
  }

  /**
   * Moves the value of rank {@code k} (in sorted order) to {@code a[k]}, smaller-or-equal ranks to
   * its left and greater-or-equal to its right, given that {@code a[0 .. from)} holds the lowest
   * ranks already: quickselect with a median-of-three pivot and a
   * three-way partition (runs of equal values, common in counts and shares, take one pass), falling
   * back to a sort of the remaining range after too many rounds.
   */
  private static double select(double[] a, int from, int k) {
    int lo = from;
    int hi = a.length - 1;
    int rounds = 2 * (32 - Integer.numberOfLeadingZeros(a.length)) + 8;
    while (hi > lo) {
      if (rounds-- == 0) {
        Arrays.sort(a, lo, hi + 1);
        return a[k];
      }
      int mid = (lo + hi) >>> 1;
      double x = a[lo];
      double y = a[mid];
      double z = a[hi];
      double p = compare(x, y) < 0
          ? (compare(y, z) < 0 ? y : compare(x, z) < 0 ? z : x)
          : (compare(x, z) < 0 ? x : compare(y, z) < 0 ? z : y);
      int lt = lo;
      int i = lo;
      int gt = hi;
      while (i <= gt) {
        double v = a[i];
        int c = compare(v, p);
        if (c < 0) {
          a[i++] = a[lt];
          a[lt++] = v;
        } else if (c > 0) {
          a[i] = a[gt];
          a[gt--] = v;
        } else {
          i++;
        }
      }
      if (k < lt) {
        hi = lt - 1;
      } else if (k > gt) {
        lo = gt + 1;
      } else {
        return a[k];
      }
    }
    return a[k];
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
