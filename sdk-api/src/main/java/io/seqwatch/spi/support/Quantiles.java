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
    requireQuantile(q);
    int lo = lowRank(q, sorted.length);
    return between(q, sorted.length, sorted[lo], sorted[Math.min(lo + 1, sorted.length - 1)]);
  }

  private static void requireQuantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1]: " + q);
    }
  }

  /** The rank below (or at) the {@code q}-quantile of {@code n} values: the interpolation's lower end. */
  private static int lowRank(double q, int n) {
    return (int) Math.floor(q * (n - 1));
  }

  /**
   * The {@code q}-quantile of {@code n} values from the values at ranks {@link #lowRank} ({@code
   * low}) and the one after it ({@code high}; the same rank at the top): the one interpolation rule.
   */
  private static double between(double q, int n, double low, double high) {
    double pos = q * (n - 1);
    return low + (pos - Math.floor(pos)) * (high - low);
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
    return ofUnordered(scratch.length >= RADIX_MIN, scratch, qs);
  }

  /** Fewest values for which {@link #ofUnordered} first buckets them by their top 16 bits. */
  static final int RADIX_MIN = 1 << 14;

  /**
   * {@link #ofUnordered(double[], double...)}, through the 16-bit buckets or by selection alone (the
   * answers are the same; tests compare both with sorting).
   */
  static double[] ofUnordered(boolean radix, double[] scratch, double... qs) {
    if (scratch.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    for (double q : qs) {
      requireQuantile(q);
    }
    return radix ? byBuckets(scratch, qs) : bySelection(scratch, qs);
  }

  /**
   * The quantiles by one counting pass over the values' top 16 bits (in an order-preserving
   * encoding), one pass gathering the few buckets that hold the ranks needed, and selection within
   * them: a couple of passes without data-dependent branches instead of a quickselect's several.
   */
  private static double[] byBuckets(double[] values, double[] qs) {
    int n = values.length;
    int[] count = new int[1 << 16];
    for (double v : values) {
      count[bucket(v)]++;
    }
    int[] ranks = new int[2 * qs.length]; // each quantile's rank and the next
    for (int i = 0; i < qs.length; i++) {
      int lo = lowRank(qs[i], n);
      ranks[2 * i] = lo;
      ranks[2 * i + 1] = Math.min(lo + 1, n - 1);
    }
    int[] start = new int[1 << 16]; // rank of each bucket's first value
    for (int b = 1; b < start.length; b++) {
      start[b] = start[b - 1] + count[b - 1];
    }
    int[] slot = new int[1 << 16];
    Arrays.fill(slot, -1);
    double[][] held = new double[ranks.length][];
    int slots = 0;
    int[] bucketOf = new int[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      int b = Arrays.binarySearch(start, ranks[r]);
      if (b < 0) {
        b = -b - 2; // the last bucket starting below the rank
      } else {
        while (count[b] == 0) { // empty buckets share their start with the next full one
          b++;
        }
      }
      if (slot[b] < 0) {
        slot[b] = slots;
        held[slots++] = new double[count[b]];
      }
      bucketOf[r] = b;
    }
    int[] fill = new int[slots];
    long[] first = new long[slots];
    boolean[] mixed = new boolean[slots]; // whether a bucket holds more than one value (bit for bit)
    for (double v : values) {
      int k = slot[bucket(v)];
      if (k >= 0) {
        long bits = Double.doubleToRawLongBits(v);
        if (fill[k] == 0) {
          first[k] = bits;
        } else if (bits != first[k]) {
          mixed[k] = true;
        }
        held[k][fill[k]++] = v;
      }
    }
    double[] at = new double[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      int k = slot[bucketOf[r]];
      // a bucket of one value (a count that is 0 or 1 for most sequences) needs no selection
      at[r] = mixed[k] ? select(held[k], 0, ranks[r] - start[bucketOf[r]]) : held[k][0];
    }
    double[] out = new double[qs.length];
    for (int i = 0; i < qs.length; i++) {
      out[i] = between(qs[i], n, at[2 * i], at[2 * i + 1]);
    }
    return out;
  }

  /**
   * The top 16 bits of {@code v} in an encoding whose unsigned order is {@link Double#compare}'s
   * ({@code -0.0} before {@code 0.0}, NaN last).
   */
  private static int bucket(double v) {
    long bits = Double.doubleToLongBits(v);
    long key = bits < 0 ? ~bits : bits | Long.MIN_VALUE;
    return (int) (key >>> 48);
  }

  private static double[] bySelection(double[] scratch, double[] qs) {
    double[] out = new double[qs.length];
    int n = scratch.length;
    Integer[] order = new Integer[qs.length]; // ascending quantiles: each selection starts past the last
    for (int i = 0; i < qs.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(qs[x], qs[y]));
    int from = 0; // ranks below it are placed and not greater than any rank from it on
    for (int i : order) {
      int lo = lowRank(qs[i], n);
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
      out[i] = between(qs[i], n, low, high);
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
