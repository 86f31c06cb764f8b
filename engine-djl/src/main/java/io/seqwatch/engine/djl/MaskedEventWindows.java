package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqwatch.api.EncodedSequence;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences cut into windows of at most {@code window} events for a {@link MaskedEventNet}, held in
 * primitive arrays without padding (about 20 bytes per event): windows follow each other from a
 * sequence's start; the last one ends at the sequence's end and may overlap the one before it, so a
 * short tail is not predicted from a handful of events. {@code scoredFrom} marks the first event of
 * a window not covered by the windows before it. Batches are padded to their longest window only.
 *
 * <p>Thread-safety: immutable after construction.
 */
final class MaskedEventWindows {
  final int window;
  final int rows;
  /** Per window: the sequence, its first event in the sequence, its length, its first new event (offset in the window). */
  final int[] sequence;
  final int[] start;
  final int[] length;
  final int[] scoredFrom;
  /** Per window: where its events begin in the event arrays. */
  private final int[] offset;
  private final int[] tokens;
  private final int[] gaps;
  private final int[] categories;
  private final float[] prices;
  private final long events;

  /**
   * @param tokenMap a sequence's token id to the network's ({@code null}: the same); ids beyond it
   *     become the unknown id 1
   */
  MaskedEventWindows(List<EncodedSequence> seqs, MaskedEventConfig c, int[] tokenMap) {
    this.window = c.window();
    int count = 0;
    long total = 0;
    long held = 0;
    for (EncodedSequence s : seqs) {
      int k = windows(s.length(), window);
      count += k;
      total += s.length();
      held += k == 0 ? 0 : k > 1 ? (long) k * window : s.length(); // the last window overlaps the one before
    }
    if (held > Integer.MAX_VALUE / 2 - 8) {
      throw new IllegalArgumentException(total + " events exceed one window table; train on a sample (--sample)");
    }
    this.rows = count;
    this.events = total;
    sequence = new int[count];
    start = new int[count];
    length = new int[count];
    scoredFrom = new int[count];
    offset = new int[count];
    tokens = new int[(int) held];
    gaps = new int[(int) held];
    categories = new int[(int) held];
    prices = new float[(int) held * 2];
    int r = 0;
    int at = 0;
    int vocabulary = c.vocabulary().size();
    for (int q = 0; q < seqs.size(); q++) {
      EncodedSequence s = seqs.get(q);
      int n = s.length();
      int k = windows(n, window);
      for (int w = 0; w < k; w++) {
        int from = w < k - 1 ? w * window : Math.max(0, n - window);
        sequence[r] = q;
        start[r] = from;
        length[r] = Math.min(window, n - from);
        scoredFrom[r] = w * window - from;
        offset[r] = at;
        for (int i = from; i < from + length[r]; i++, at++) {
          int t = s.token(i);
          int mapped = tokenMap == null ? t : t >= 0 && t < tokenMap.length ? tokenMap[t] : 1;
          tokens[at] = mapped <= 0 ? (t == 0 ? 0 : 1) : mapped < vocabulary ? mapped : 1;
          gaps[at] = Math.min(Math.max(s.gapBucket(i), 0), c.gapBuckets() - 1);
          int cat = s.categoryId(i);
          categories[at] = cat >= 0 && cat < c.categoryBuckets() ? cat : 0;
          double p = s.price(i);
          boolean missing = Double.isNaN(p);
          prices[at * 2] = missing ? 0f : (float) Math.log1p(Math.max(0, p));
          prices[at * 2 + 1] = missing ? 1f : 0f;
        }
        r++;
      }
    }
  }

  /** Windows a sequence of {@code n} events is cut into (one for an empty sequence: it scores 0). */
  static int windows(int n, int window) {
    return n == 0 ? 0 : (n + window - 1) / window;
  }

  /** Events held. */
  long events() {
    return events;
  }

  /** The network's token of event {@code i} of window {@code r}. */
  int token(int r, int i) {
    return tokens[offset[r] + i];
  }

  int category(int r, int i) {
    return categories[offset[r] + i];
  }

  /** The longest window among {@code rows}. */
  int longest(int[] rows) {
    int t = 1;
    for (int r : rows) {
      t = Math.max(t, length[r]);
    }
    return t;
  }

  /**
   * The network's inputs for {@code rows} (-1: an empty row), padded to {@code t} events, with {@code mask} ({@code
   * [rows, t]}, 1 = hidden) as the fifth input.
   */
  NDList batch(NDManager m, int[] rows, int t, float[] mask) {
    int n = rows.length;
    long[] tok = new long[n * t];
    long[] gap = new long[n * t];
    long[] cat = new long[n * t];
    float[] price = new float[n * t * 2];
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      if (r < 0) {
        continue; // an empty row filling a pass
      }
      int o = offset[r];
      for (int j = 0; j < length[r]; j++) {
        tok[i * t + j] = tokens[o + j];
        gap[i * t + j] = gaps[o + j];
        cat[i * t + j] = categories[o + j];
      }
      System.arraycopy(prices, o * 2, price, i * t * 2, length[r] * 2);
    }
    Shape s = new Shape(n, t);
    return new NDList(DjlRuntime.owned(m.create(tok, s)), DjlRuntime.owned(m.create(gap, s)),
        DjlRuntime.owned(m.create(cat, s)), DjlRuntime.owned(m.create(price, new Shape(n, t, 2))),
        DjlRuntime.owned(m.create(mask, s)));
  }

  /**
   * The hidden cells of a batch and their targets: {@code index} ({@code [cells, width]}, each row
   * a cell's flat index repeated, the network's sixth input) and the action, gap and category of
   * each ({@code [cells, 1]}, for picking log-probabilities).
   */
  record Cells(int count, long[] index, long[] actions, long[] gaps, long[] categories, float[] hasCategory) {
    NDList arrays(NDManager m, int width) {
      Shape one = new Shape(count, 1);
      return new NDList(DjlRuntime.owned(m.create(index, new Shape(count, width))),
          DjlRuntime.owned(m.create(actions, one)), DjlRuntime.owned(m.create(gaps, one)),
          DjlRuntime.owned(m.create(categories, one)), DjlRuntime.owned(m.create(hasCategory, one)));
    }
  }

  /**
   * The cells {@code mask} hides in a batch of {@code rows} padded to {@code t}, in row-major order,
   * followed by copies of cell 0 up to {@code atLeast} cells (so a pass can have a fixed shape).
   */
  Cells cells(int[] rows, int t, float[] mask, int width, int atLeast) {
    int hidden = 0;
    for (float v : mask) {
      hidden += v == 1f ? 1 : 0;
    }
    int k = Math.max(hidden, atLeast);
    long[] index = new long[k * width];
    long[] a = new long[k];
    long[] g = new long[k];
    long[] c = new long[k];
    float[] has = new float[k];
    int n = 0;
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < t; j++) {
        if (mask[i * t + j] == 1f) {
          java.util.Arrays.fill(index, n * width, (n + 1) * width, (long) i * t + j);
          int at = offset[rows[i]] + j;
          a[n] = tokens[at];
          g[n] = gaps[at];
          c[n] = categories[at];
          has[n] = categories[at] != 0 ? 1f : 0f;
          n++;
        }
      }
    }
    return new Cells(k, index, a, g, c, has);
  }

  /** A 64-bit hash of the windows' content (FNV-1a over every event's ids and prices). */
  long fingerprint() {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < tokens.length; i++) {
      h = (h ^ tokens[i]) * 0x100000001b3L;
      h = (h ^ gaps[i]) * 0x100000001b3L;
      h = (h ^ categories[i]) * 0x100000001b3L;
      h = (h ^ Float.floatToIntBits(prices[i * 2])) * 0x100000001b3L;
    }
    for (int r = 0; r < rows; r++) {
      h = (h ^ length[r]) * 0x100000001b3L;
    }
    return h;
  }

  /** The windows' token ids in the network's vocabulary, padded to {@code t} (for tests and messages). */
  int[] tokens(int r) {
    return Arrays.copyOfRange(tokens, offset[r], offset[r] + length[r]);
  }
}
