package io.seqwatch.core.prep;

/**
 * Least-significant-digit radix sort of non-negative {@code long} keys carrying an {@code int} each:
 * digits of {@value #BITS} bits, one counting pass for all digits, and no pass for a digit that every
 * key shares (ids of up to 11 decimal digits take 4 passes, not 6). Stable, linear in the number of
 * keys, no comparison: on a million ids it sorts several times as fast as {@code Arrays.sort}, which
 * matters where a table resolves each row's id in one go ({@link TextDictionary#ids}).
 *
 * <p>Thread-safety: stateless.
 */
final class RadixSort {
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int DIGITS = (63 + BITS - 1) / BITS;

  private RadixSort() {}

  /**
   * Sorts {@code keys[0, n)} ascending, moving {@code values[0, n)} with them; ties keep their
   * order.
   *
   * @throws IllegalArgumentException for a negative key
   */
  static void sort(long[] keys, int[] values, int n) {
    long any = 0;
    long all = -1L;
    int[][] counts = new int[DIGITS][RADIX + 1];
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      if (k < 0) {
        throw new IllegalArgumentException("negative key " + k + " at " + i);
      }
      any |= k;
      all &= k;
      for (int d = 0; d < DIGITS; d++) {
        counts[d][((int) (k >>> (d * BITS)) & (RADIX - 1)) + 1]++; // at digit + 1: the sums below give starts
      }
    }
    long varying = any ^ (n == 0 ? 0 : all); // bits that differ between some two keys
    long[] keySpare = null;
    int[] valueSpare = null;
    long[] k = keys;
    int[] v = values;
    for (int d = 0; d < DIGITS; d++) {
      int shift = d * BITS;
      if ((varying >>> shift & (RADIX - 1)) == 0) {
        continue; // every key has this digit
      }
      if (keySpare == null) {
        keySpare = new long[n];
        valueSpare = new int[n];
      }
      int[] start = counts[d];
      for (int b = 1; b <= RADIX; b++) { // start[digit]: how many keys have a smaller digit
        start[b] += start[b - 1];
      }
      for (int i = 0; i < n; i++) {
        long key = k[i];
        int at = start[(int) (key >>> shift) & (RADIX - 1)]++;
        keySpare[at] = key;
        valueSpare[at] = v[i];
      }
      long[] kt = k;
      k = keySpare;
      keySpare = kt;
      int[] vt = v;
      v = valueSpare;
      valueSpare = vt;
    }
    if (k != keys) {
      System.arraycopy(k, 0, keys, 0, n);
      System.arraycopy(v, 0, values, 0, n);
    }
  }
}
