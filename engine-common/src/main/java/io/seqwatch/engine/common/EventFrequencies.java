package io.seqwatch.engine.common;

import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Typicality;
import java.util.List;

/**
 * How often each action, time-gap bucket and category occurs among a masked-event model's training
 * events, as its network sees them (tokens mapped, buckets clamped): an event's <em>context-free</em>
 * surprise in each part is {@code -log} of its value's share, counts smoothed by one per value
 * (add-one), and a sequence's context-free typicality is the typical-set z of each part's mean
 * surprise, as {@link MaskedEventScorer#partZ} measures the surprise given the context.
 *
 * <p>Why both: the encoder predicts a hidden event from the events on both sides, so a run of the
 * same behaviour foretells itself (a person's session replayed at 1-2 s per event: every hidden gap
 * is told by its neighbours) and shows only as being predictable; how rare that behaviour is among
 * people's events shows only without the context. A part's centre is the training events' mean
 * context-free surprise and the spread below it theirs (as for the context's parts); its standard
 * deviation weights each value by its smoothed share, so that a part which never varied in training
 * (a log without categories) keeps a spread, set by the values it never saw: a sequence of the one
 * value seen scores 0 in it, one of unseen values a finite z.
 *
 * <p>Thread-safety: immutable.
 */
public final class EventFrequencies {
  /** None measured (bundles written before the context-free parts): sequences are scored on the context's surprise only. */
  public static final EventFrequencies NONE = new EventFrequencies(new double[0][], List.of(), List.of());

  private final double[][] surprise;
  private final List<Typicality> typical;
  private final List<Double> below;

  /**
   * @param surprise per part (action, gap, category), each value's context-free surprise in nats
   * @param typical per part, the centre and standard deviation of that surprise
   * @param below per part, the spread of the surprise below its centre (root mean square of the shortfalls)
   */
  private EventFrequencies(double[][] surprise, List<Typicality> typical, List<Double> below) {
    this.surprise = new double[surprise.length][];
    for (int p = 0; p < surprise.length; p++) {
      this.surprise[p] = surprise[p].clone();
    }
    this.typical = List.copyOf(typical);
    this.below = List.copyOf(below);
  }

  /**
   * The shares of {@code seqs}' events, as a network of shape {@code c} with token map {@code
   * tokenMap} ({@code null}: the same ids) sees them.
   */
  public static EventFrequencies measure(List<EncodedSequence> seqs, MaskedEventConfig c, int[] tokenMap) {
    int[] sizes = sizes(c);
    long[][] counts = {new long[sizes[0]], new long[sizes[1]], new long[sizes[2]]};
    for (EncodedSequence s : seqs) {
      for (int i = 0; i < s.length(); i++) {
        counts[0][MaskedEventWindows.networkToken(s.token(i), tokenMap, sizes[0])]++;
        counts[1][MaskedEventWindows.gap(s.gapBucket(i), c)]++;
        counts[2][MaskedEventWindows.category(s.categoryId(i), c)]++;
      }
    }
    double[][] surprise = new double[3][];
    Typicality[] typical = new Typicality[3];
    Double[] below = new Double[3];
    for (int p = 0; p < 3; p++) {
      long total = 0;
      for (long n : counts[p]) {
        total += n;
      }
      double all = total + sizes[p];
      double[] s = new double[sizes[p]];
      double mean = 0;
      for (int v = 0; v < s.length; v++) {
        s[v] = -Math.log((counts[p][v] + 1) / all);
        mean += total == 0 ? s[v] / s.length : counts[p][v] * s[v] / total;
      }
      double sq = 0;
      double shortSq = 0;
      long shortCount = 0;
      for (int v = 0; v < s.length; v++) {
        double d = s[v] - mean;
        sq += (counts[p][v] + 1) / all * d * d;
        if (d < 0) {
          shortSq += counts[p][v] * d * d;
          shortCount += counts[p][v];
        }
      }
      surprise[p] = s;
      typical[p] = new Typicality(mean, Math.sqrt(sq));
      below[p] = shortCount == 0 ? 0 : Math.sqrt(shortSq / shortCount);
    }
    return new EventFrequencies(surprise, List.of(typical), List.of(below));
  }

  /** Whether these shares are for a network of {@code actions} tokens, {@code gaps} gap buckets and {@code categories} categories. */
  public boolean fits(int actions, int gaps, int categories) {
    return !measured() || surprise[0].length == actions && surprise[1].length == gaps && surprise[2].length == categories;
  }

  /** Whether shares were measured. */
  public boolean measured() {
    return surprise.length == 3;
  }

  /**
   * Per part (action, gap, category) the typical-set z of {@code s}'s mean context-free surprise by
   * {@link MaskedEventConfig#z}'s rule: a shortfall (values commoner than people's on average) in the
   * spread below the centre where that is narrower, or in the standard deviation when {@code c}
   * says so ({@link MaskedEventConfig#shortfallInStd}); zeros when not measured.
   */
  public double[] z(EncodedSequence s, MaskedEventConfig c, int[] tokenMap) {
    return z(meanSurprise(s, c, tokenMap), s.length(), c);
  }

  /** {@link #z(EncodedSequence, MaskedEventConfig, int[])} from the sequence's {@link #meanSurprise} and length. */
  public double[] z(double[] mean, int n, MaskedEventConfig c) {
    double[] z = new double[3];
    if (!measured()) {
      return z;
    }
    for (int p = 0; p < 3; p++) {
      Typicality t = typical.get(p);
      double shortfallScale = c.shortfallInStd() ? t.std() : Math.min(t.std(), below.get(p));
      z[p] = MaskedEventConfig.z(t, shortfallScale, mean[p] * n, n);
    }
    return z;
  }

  /** Per part, the mean context-free surprise of {@code s}'s events (zeros when not measured or empty). */
  public double[] meanSurprise(EncodedSequence s, MaskedEventConfig c, int[] tokenMap) {
    double[] sum = new double[3];
    int n = s.length();
    if (!measured() || n == 0) {
      return sum;
    }
    for (int i = 0; i < n; i++) {
      sum[0] += surprise[0][MaskedEventWindows.networkToken(s.token(i), tokenMap, surprise[0].length)];
      sum[1] += surprise[1][MaskedEventWindows.gap(s.gapBucket(i), c)];
      sum[2] += surprise[2][MaskedEventWindows.category(s.categoryId(i), c)];
    }
    for (int p = 0; p < 3; p++) {
      sum[p] /= n;
    }
    return sum;
  }

  /** The centre and spread of part {@code p}'s context-free surprise. */
  public Typicality typical(int p) {
    return typical.get(p);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventFrequencies f && java.util.Arrays.deepEquals(surprise, f.surprise)
        && typical.equals(f.typical) && below.equals(f.below);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.deepHashCode(surprise) * 31 + typical.hashCode();
  }

  @Override
  public String toString() {
    return measured() ? "event frequencies (context-free typicality " + typical + ")" : "no event frequencies";
  }

  /** The number of values of each part (actions, gap buckets, categories) in a network of shape {@code c}. */
  private static int[] sizes(MaskedEventConfig c) {
    return new int[] {c.vocabulary().size(), c.gapBuckets(), c.categoryBuckets()};
  }

  private static final String[] KEYS = {"context-free-action", "context-free-gap", "context-free-category"};

  /** Writes the shares (nothing when not measured). */
  public void writeTo(Parameters.Builder b) {
    if (!measured()) {
      return;
    }
    for (int p = 0; p < 3; p++) {
      b.put(KEYS[p], surprise[p]);
      b.put(KEYS[p] + "-typical", new double[] {typical.get(p).mean(), typical.get(p).std(), below.get(p)});
    }
  }

  /**
   * The shares {@link #writeTo} wrote for a network of shape {@code c}; {@link #NONE} when there are
   * none (a bundle from before they were measured).
   *
   * @throws ModelFormatException when they are present but do not fit the network's shape
   */
  public static EventFrequencies readFrom(Parameters p, MaskedEventConfig c) {
    if (!p.contains(KEYS[0])) {
      return NONE;
    }
    int[] sizes = sizes(c);
    double[][] surprise = new double[3][];
    Typicality[] typical = new Typicality[3];
    Double[] below = new Double[3];
    for (int k = 0; k < 3; k++) {
      surprise[k] = p.doubles(KEYS[k]);
      double[] t = p.doubles(KEYS[k] + "-typical");
      if (surprise[k].length != sizes[k] || t.length != 3 || !(t[1] >= 0) || !(t[2] >= 0) || Double.isInfinite(t[1] + t[2])) {
        throw new ModelFormatException("masked-event settings: " + KEYS[k] + " has " + surprise[k].length
            + " values and statistics " + java.util.Arrays.toString(t) + " for " + sizes[k]
            + " values of the network (3 statistics, spreads finite and >= 0 expected); the file is damaged");
      }
      for (double v : surprise[k]) {
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new ModelFormatException("masked-event settings: " + KEYS[k] + " holds " + v + ", not a finite surprise");
        }
      }
      typical[k] = new Typicality(t[0], t[1]);
      below[k] = t[2];
    }
    return new EventFrequencies(surprise, List.of(typical), List.of(below));
  }
}
