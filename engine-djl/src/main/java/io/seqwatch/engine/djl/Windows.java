package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqwatch.api.EncodedSequence;
import java.util.List;

/**
 * Next-event windows of encoded sequences: for every event i (and, with boundaries, the end of the
 * sequence as token 0), the previous {@code window} events left-padded with 0, and the token to
 * predict. With side information on (the transformer), each window position also carries its
 * time-gap bucket, category bucket, log1p(price) and a price-missing flag. Ids outside the trained
 * ranges become the unknown id 1 (tokens) or are clamped (buckets).
 *
 * <p>Thread-safety: immutable after construction.
 */
final class Windows {
  final int window;
  final boolean side;
  final int rows;
  final long[] tokens;
  final long[] gaps;
  final long[] categories;
  final float[] prices;
  final long[] targets;

  /** Number of predictions for a sequence of {@code n} events. */
  static int count(int n, boolean boundaries) {
    return boundaries ? n + 1 : n;
  }

  Windows(List<EncodedSequence> seqs, boolean boundaries, int window, int vocabulary, int gapBuckets,
      int categoryBuckets, boolean side) {
    this.window = window;
    this.side = side;
    int r = 0;
    for (EncodedSequence s : seqs) {
      r += count(s.length(), boundaries);
    }
    this.rows = r;
    tokens = new long[rows * window];
    targets = new long[rows];
    gaps = side ? new long[rows * window] : null;
    categories = side ? new long[rows * window] : null;
    prices = side ? new float[rows * window * 2] : null;
    int row = 0;
    for (EncodedSequence s : seqs) {
      int[] t = s.tokens();
      int[] g = side ? s.gapBuckets() : null;
      int[] c = side ? s.categoryIds() : null;
      double[] p = side ? s.prices() : null;
      int m = count(t.length, boundaries);
      for (int i = 0; i < m; i++, row++) {
        for (int j = 0; j < window; j++) {
          int at = i - window + j;
          int cell = row * window + j;
          if (at < 0) {
            continue; // padding: all channels 0
          }
          tokens[cell] = clamp(t[at], vocabulary);
          if (side) {
            gaps[cell] = Math.min(Math.max(g[at], 0), gapBuckets - 1);
            categories[cell] = Math.min(Math.max(c[at], 0), categoryBuckets - 1);
            boolean missing = Double.isNaN(p[at]);
            prices[cell * 2] = missing ? 0f : (float) Math.log1p(Math.max(0, p[at]));
            prices[cell * 2 + 1] = missing ? 1f : 0f;
          }
        }
        targets[row] = i < t.length ? clamp(t[i], vocabulary) : 0;
      }
    }
  }

  private static int clamp(int token, int vocabulary) {
    return token >= 0 && token < vocabulary ? token : 1;
  }

  /** Network inputs for the given rows, padded with all-zero rows up to {@code padTo} rows. */
  NDList inputs(NDManager m, int[] rowIndex, int padTo) {
    int n = Math.max(padTo, rowIndex.length);
    long[] tok = new long[n * window];
    long[] gap = side ? new long[n * window] : null;
    long[] cat = side ? new long[n * window] : null;
    float[] pr = side ? new float[n * window * 2] : null;
    for (int i = 0; i < rowIndex.length; i++) {
      int r = rowIndex[i];
      System.arraycopy(tokens, r * window, tok, i * window, window);
      if (side) {
        System.arraycopy(gaps, r * window, gap, i * window, window);
        System.arraycopy(categories, r * window, cat, i * window, window);
        System.arraycopy(prices, r * window * 2, pr, i * window * 2, window * 2);
      }
    }
    Shape shape = new Shape(n, window);
    if (!side) {
      return new NDList(m.create(tok, shape));
    }
    return new NDList(m.create(tok, shape), m.create(gap, shape), m.create(cat, shape),
        m.create(pr, new Shape(n, window, 2)));
  }

  /** Rows {@code from} to {@code from + n}. */
  static int[] range(int from, int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** Shuffles row indices in place (Fisher-Yates with the given seeded source). */
  static void shuffle(int[] a, java.util.Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }

  /** Input shapes for initialising a network with batches of {@code batch} rows. */
  Shape[] shapes(int batch) {
    Shape s = new Shape(batch, window);
    return side ? new Shape[] {s, s, s, new Shape(batch, window, 2)} : new Shape[] {s};
  }
}
