package io.seqwatch.core.prep;

/**
 * Sorts an {@link EventTable}'s row numbers by (time, source line, row) with primitive comparisons: no
 * boxed indices, no comparator objects. Logs are mostly in time order already, so a run that is in
 * order is found in one pass and left as it is. A table a reader filled has its lines in row order,
 * so (time, line, row) is (time, row): each row becomes one {@code long}, its time since the earliest
 * above its row number, and the library sorts those (it merges the runs a log is made of, without
 * reading the columns per comparison). Otherwise, or when the times span too long for one
 * {@code long}, a bottom-up merge sort (stable, n log n, one scratch array).
 *
 * <p>Thread-safety: stateless.
 */
final class RowSort {
  private static final int RUN = 32;

  private RowSort() {}

  /** Row numbers {@code 0..size-1} ordered by (time, line, row). */
  static int[] byTimeThenLine(EventTable t) {
    int n = t.size();
    int[] a = new int[n];
    boolean inOrder = true;
    for (int i = 0; i < n; i++) {
      a[i] = i;
      if (inOrder && i > 0 && less(t, i, i - 1)) {
        inOrder = false;
      }
    }
    if (inOrder) {
      return a;
    }
    if (packed(t, a)) {
      return a;
    }
    for (int lo = 0; lo < n; lo += RUN) { // insertion-sorted runs
      int hi = Math.min(n, lo + RUN);
      for (int i = lo + 1; i < hi; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= lo && less(t, x, a[j])) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
    }
    int[] src = a;
    int[] dst = new int[n];
    for (long width = RUN; width < n; width *= 2) {
      for (long from = 0; from < n; from += 2 * width) {
        int lo = (int) from;
        int mid = (int) Math.min(n, from + width);
        int hi = (int) Math.min(n, from + 2 * width);
        if (mid >= hi || !less(t, src[mid], src[mid - 1])) { // already in order across the seam
          System.arraycopy(src, lo, dst, lo, hi - lo);
          continue;
        }
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
          dst[k] = j >= hi || i < mid && !less(t, src[j], src[i]) ? src[i++] : src[j++];
        }
      }
      int[] swap = src;
      src = dst;
      dst = swap;
    }
    return src;
  }

  /**
   * Sorts {@code a} (the row numbers in row order) as packed {@code (time - earliest) << b | row}
   * keys, {@code b} the bits of the largest row: only where the lines are in row order (ties of time
   * are then in row order) and the span of times fits the remaining bits; returns false, {@code a}
   * untouched, otherwise.
   */
  private static boolean packed(EventTable t, int[] a) {
    int n = a.length;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long previousLine = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long line = t.line(i);
      if (line < previousLine) {
        return false;
      }
      previousLine = line;
      long time = t.time(i);
      min = Math.min(min, time);
      max = Math.max(max, time);
    }
    int bits = 32 - Integer.numberOfLeadingZeros(n - 1);
    long span = max - min;
    if (span < 0 || span >= 1L << (63 - bits)) { // overflowed, or too long a span for the row's bits
      return false;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (t.time(i) - min) << bits | i;
    }
    java.util.Arrays.sort(keys);
    int mask = (1 << bits) - 1;
    for (int i = 0; i < n; i++) {
      a[i] = (int) (keys[i] & mask);
    }
    return true;
  }

  /** Whether row {@code x} sorts before row {@code y}. */
  private static boolean less(EventTable t, int x, int y) {
    long tx = t.time(x);
    long ty = t.time(y);
    if (tx != ty) {
      return tx < ty;
    }
    long lx = t.line(x);
    long ly = t.line(y);
    return lx != ly ? lx < ly : x < y;
  }
}
