package io.seqwatch.engine.common;

import io.seqwatch.api.EncodedSequence;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences cut into windows of at most {@code window} events for a masked-event encoder, held in
 * primitive arrays without padding (about 20 bytes per event): windows follow each other from a
 * sequence's start; the last one ends at the sequence's end and may overlap the one before it, so a
 * short tail is not predicted from a handful of events. {@code scoredFrom} marks the first event of
 * a window not covered by the windows before it. Batches are padded to their longest window only.
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class MaskedEventWindows {
  private final int window;
  private final int rows;
  /** Per window: the sequence, its first event in the sequence, its length, its first new event (offset in the window). */
  private final int[] sequence;
  private final int[] start;
  private final int[] length;
  private final int[] scoredFrom;
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
  public MaskedEventWindows(List<EncodedSequence> seqs, MaskedEventConfig c, int[] tokenMap) {
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
          tokens[at] = networkToken(s.token(i), tokenMap, vocabulary);
          gaps[at] = gap(s.gapBucket(i), c);
          categories[at] = category(s.categoryId(i), c);
          double p = s.price(i);
          boolean missing = Double.isNaN(p);
          prices[at * 2] = missing ? 0f : (float) Math.log1p(Math.max(0, p));
          prices[at * 2 + 1] = missing ? 1f : 0f;
        }
        r++;
      }
    }
  }

  /**
   * The network's id of encoder token {@code t} under {@code tokenMap} ({@code null}: the same id):
   * padding stays 0; a token the map or the vocabulary lacks becomes the unknown id 1.
   */
  static int networkToken(int t, int[] tokenMap, int vocabulary) {
    int mapped = tokenMap == null ? t : t >= 0 && t < tokenMap.length ? tokenMap[t] : 1;
    return mapped <= 0 ? (t == 0 ? 0 : 1) : mapped < vocabulary ? mapped : 1;
  }

  /** The network's gap bucket for encoder bucket {@code g}: clamped to the network's buckets. */
  static int gap(int g, MaskedEventConfig c) {
    return Math.min(Math.max(g, 0), c.gapBuckets() - 1);
  }

  /** The network's category for encoder category {@code cat}: 0 (none) when beyond its buckets. */
  static int category(int cat, MaskedEventConfig c) {
    return cat >= 0 && cat < c.categoryBuckets() ? cat : 0;
  }

  /** Events per window at most. */
  public int window() {
    return window;
  }

  /** Windows held. */
  public int rows() {
    return rows;
  }

  /** The sequence window {@code r} belongs to (its index in the list given). */
  public int sequence(int r) {
    return sequence[r];
  }

  /** The sequence's event at which window {@code r} starts. */
  public int start(int r) {
    return start[r];
  }

  /** Events in window {@code r}. */
  public int length(int r) {
    return length[r];
  }

  /** The first event of window {@code r} (offset in the window) that no earlier window covers. */
  public int scoredFrom(int r) {
    return scoredFrom[r];
  }

  /** Windows a sequence of {@code n} events is cut into (one for an empty sequence: it scores 0). */
  public static int windows(int n, int window) {
    return n == 0 ? 0 : (n + window - 1) / window;
  }

  /** Events held. */
  public long events() {
    return events;
  }

  /** The network's token of event {@code i} of window {@code r}. */
  public int token(int r, int i) {
    return tokens[offset[r] + i];
  }

  public int category(int r, int i) {
    return categories[offset[r] + i];
  }

  /** The longest window among {@code rows}. */
  public int longest(int[] rows) {
    int t = 1;
    for (int r : rows) {
      t = Math.max(t, length[r]);
    }
    return t;
  }

  /**
   * The network's inputs for {@code rows} (-1: an empty row), padded with zeros to {@code t} events:
   * tokens, gap buckets and categories ({@code [rows, t]}) and prices ({@code [rows, t, 2]}: log1p
   * and a missing flag).
   */
  public Batch batch(int[] rows, int t) {
    Batch b = new Batch(rows.length, t, new long[rows.length * t], new long[rows.length * t], new long[rows.length * t],
        new float[rows.length * t * 2]);
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      if (r < 0) {
        continue; // an empty row filling a pass
      }
      int o = offset[r];
      for (int j = 0; j < length[r]; j++) {
        b.tokens()[i * t + j] = tokens[o + j];
        b.gaps()[i * t + j] = gaps[o + j];
        b.categories()[i * t + j] = categories[o + j];
      }
      System.arraycopy(prices, o * 2, b.prices(), i * t * 2, length[r] * 2);
    }
    return b;
  }

  /** A pass's inputs, row-major: {@code rows} windows of {@code t} events. */
  public record Batch(int rows, int t, long[] tokens, long[] gaps, long[] categories, float[] prices) {}

  /**
   * The hidden cells of a batch and their targets: {@code index} ({@code [cells, width]}, each row
   * a cell's flat index repeated, the network's sixth input) and the action, gap and category of
   * each ({@code [cells, 1]}, for picking log-probabilities).
   */
  public record Cells(int count, long[] index, long[] actions, long[] gaps, long[] categories, float[] hasCategory) {}

  /**
   * The cells {@code mask} hides in a batch of {@code rows} padded to {@code t}, in row-major order,
   * followed by copies of the first ({@link #hiddenCells}) up to {@code atLeast} cells, whose targets
   * are 0 (so a pass can have a fixed shape).
   */
  public Cells cells(int[] rows, int t, float[] mask, int width, int atLeast) {
    long[] flat = hiddenCells(mask, atLeast);
    int hidden = hidden(mask);
    int k = flat.length;
    long[] index = new long[k * width];
    long[] a = new long[k];
    long[] g = new long[k];
    long[] c = new long[k];
    float[] has = new float[k];
    for (int n = 0; n < k; n++) {
      java.util.Arrays.fill(index, n * width, (n + 1) * width, flat[n]);
      if (n < hidden) { // padding keeps targets 0
        int at = offset[rows[(int) (flat[n] / t)]] + (int) (flat[n] % t);
        a[n] = tokens[at];
        g[n] = gaps[at];
        c[n] = categories[at];
        has[n] = categories[at] != 0 ? 1f : 0f;
      }
    }
    return new Cells(k, index, a, g, c, has);
  }

  /**
   * The flat indices ({@code row * t + position}) of the cells {@code mask} hides, in row-major
   * order, followed by copies of the first up to {@code atLeast} cells.
   */
  public static long[] hiddenCells(float[] mask, int atLeast) {
    long[] cells = new long[Math.max(hidden(mask), atLeast)];
    int k = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] == 1f) {
        cells[k++] = i;
      }
    }
    Arrays.fill(cells, k, cells.length, k > 0 ? cells[0] : 0);
    return cells;
  }

  /** The number of cells {@code mask} hides. */
  public static int hidden(float[] mask) {
    int hidden = 0;
    for (float v : mask) {
      hidden += v == 1f ? 1 : 0;
    }
    return hidden;
  }

  /** A 64-bit hash of the windows' content (FNV-1a over every event's ids and prices). */
  public long fingerprint() {
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
  public int[] tokens(int r) {
    return Arrays.copyOfRange(tokens, offset[r], offset[r] + length[r]);
  }
}
