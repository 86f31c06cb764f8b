package io.seqwatch.engine.common;

import io.seqwatch.api.EncodedAttributes;
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
public final class Windows {
  public final int window;
  public final boolean side;
  public final int rows;
  public final long[] tokens;
  public final long[] gaps;
  public final long[] categories;
  public final float[] prices;
  public final long[] targets;
  /** What the attribute channels hold ({@link EncodedAttributes.Layout#NONE}: no such channels). */
  public final EncodedAttributes.Layout layout;
  /** Attribute ids, {@code [rows, window, slots]}; null without slots. */
  public final int[] attributeIds;
  /** Attribute values, {@code [rows, window, values]}; null without values. */
  public final float[] attributeValues;
  /**
   * The context and profile attribute slots whose value the model predicts along with the action
   * (empty: none).
   */
  public final int[] predicted;
  /**
   * The predicted slots' ids of each row's target event, {@code [rows, predicted.length]}; 0 where the
   * target has no such attribute or is the end of the sequence. Null when nothing is predicted.
   */
  public final int[] attributeTargets;

  /** Number of predictions for a sequence of {@code n} events. */
  public static int count(int n, boolean boundaries) {
    return boundaries ? n + 1 : n;
  }

  public Windows(List<EncodedSequence> seqs, boolean boundaries, int window, int vocabulary, int gapBuckets,
      int categoryBuckets, boolean side, EncodedAttributes.Layout layout, boolean predictAttributes) {
    this.window = window;
    this.side = side;
    this.layout = layout;
    this.predicted = predictAttributes ? layout.stableSlots() : new int[0];
    int slots = layout.slots();
    int values = layout.values();
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
    attributeIds = slots > 0 ? new int[Math.multiplyExact(rows * window, slots)] : null;
    attributeValues = values > 0 ? new float[Math.multiplyExact(rows * window, values)] : null;
    attributeTargets = predicted.length > 0 ? new int[Math.multiplyExact(rows, predicted.length)] : null;
    int row = 0;
    for (EncodedSequence s : seqs) {
      int[] t = s.tokens();
      int[] g = side ? s.gapBuckets() : null;
      int[] c = side ? s.categoryIds() : null;
      double[] p = side ? s.prices() : null;
      EncodedAttributes a = s.attributes();
      if (!layout.isEmpty() && !a.layout().equals(layout)) {
        throw new IllegalArgumentException("sequence '" + s.key() + "' has attributes " + a.layout().slotNames() + " "
            + a.layout().valueNames() + "; the model reads " + layout.slotNames() + " " + layout.valueNames());
      }
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
          for (int k = 0; k < slots; k++) {
            attributeIds[cell * slots + k] = Math.min(Math.max(a.id(at, k), 0), layout.buckets() - 1);
          }
          for (int k = 0; k < values; k++) {
            attributeValues[cell * values + k] = a.value(at, k);
          }
        }
        targets[row] = i < t.length ? clamp(t[i], vocabulary) : 0;
        for (int k = 0; k < predicted.length && i < t.length; k++) {
          attributeTargets[row * predicted.length + k] = Math.min(Math.max(a.id(i, predicted[k]), 0), layout.buckets() - 1);
        }
      }
    }
  }

  private static int clamp(int token, int vocabulary) {
    return token >= 0 && token < vocabulary ? token : 1;
  }

  /**
   * Network inputs for the given rows, padded with all-zero rows up to {@code padTo} rows: tokens,
   * and with side information the gap and category buckets (all {@code [n, window]}) and the price
   * channels ({@code [n, window, 2]}).
   */
  public Batch batch(int[] rowIndex, int padTo) {
    int n = Math.max(padTo, rowIndex.length);
    long[] tok = new long[n * window];
    long[] gap = side ? new long[n * window] : null;
    long[] cat = side ? new long[n * window] : null;
    float[] pr = side ? new float[n * window * 2] : null;
    int slots = layout.slots();
    int values = layout.values();
    long[] ids = attributeIds == null ? null : new long[n * window * slots];
    float[] vals = attributeValues == null ? null : new float[n * window * values];
    int p = predicted.length;
    long[] next = attributeTargets == null ? null : new long[n * p];
    for (int i = 0; i < rowIndex.length; i++) {
      int r = rowIndex[i];
      System.arraycopy(tokens, r * window, tok, i * window, window);
      if (side) {
        System.arraycopy(gaps, r * window, gap, i * window, window);
        System.arraycopy(categories, r * window, cat, i * window, window);
        System.arraycopy(prices, r * window * 2, pr, i * window * 2, window * 2);
      }
      if (ids != null) {
        for (int k = 0, from = r * window * slots, to = i * window * slots; k < window * slots; k++) {
          ids[to + k] = attributeIds[from + k];
        }
      }
      if (vals != null) {
        System.arraycopy(attributeValues, r * window * values, vals, i * window * values, window * values);
      }
      for (int k = 0; next != null && k < p; k++) {
        next[i * p + k] = attributeTargets[r * p + k];
      }
    }
    return new Batch(n, window, tok, gap, cat, pr, slots, ids, values, vals, p, next);
  }

  /**
   * One batch of network inputs, row-major; {@code gaps}, {@code categories} and {@code prices} are
   * null without side information, {@code attributeIds} ({@code [rows, window, slots]}) without
   * attribute slots and {@code attributeValues} ({@code [rows, window, values]}) without attribute
   * values; {@code attributeTargets} ({@code [rows, predicted]}, the target event's predicted slot
   * ids) when the model predicts attributes.
   */
  public record Batch(int rows, int window, long[] tokens, long[] gaps, long[] categories, float[] prices, int slots,
      long[] attributeIds, int values, float[] attributeValues, int predicted, long[] attributeTargets) {}

  /** Rows {@code from} to {@code from + n}. */
  public static int[] range(int from, int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** Shuffles row indices in place (Fisher-Yates with the given seeded source). */
  public static void shuffle(int[] a, java.util.Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }
}
