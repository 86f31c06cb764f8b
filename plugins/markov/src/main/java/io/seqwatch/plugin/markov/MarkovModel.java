package io.seqwatch.plugin.markov;


import io.seqwatch.api.Contribution;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.IncrementalModel;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Typicality;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A trained n-gram next-action model.
 *
 * <p>For each event, the probability of its token given the previous {@code order} tokens is, with
 * Witten-Bell interpolation, {@code (c(ctx, x) + T(ctx) p(x | shorter ctx)) / (c(ctx) + T(ctx))}
 * from the uniform distribution up to the longest context seen in training ({@code T} = distinct
 * tokens seen after the context); with add-k, {@code (c(ctx, x) + k) / (c(ctx) + k V)} of the
 * longest context seen (back-off to shorter contexts, down to unigram). A transition is <em>unseen</em> when the full-order context was
 * never followed by that token in training. Surprisal is {@code -log2 p}. With boundaries on, the
 * end of a sequence is one more event (token {@code <end>}, id 0), so truncated sequences surprise.
 *
 * <p>Thread-safety: immutable after construction, safe for concurrent scoring.
 */
final class MarkovModel implements Model, IncrementalModel {
  static final String FILE = "markov.bin";

  private final ModelProvenance provenance;
  private final NgramCounts counts;
  private final double smoothing;
  /** Witten-Bell interpolation across all orders; else add-k smoothing of the longest seen context */
  private final boolean wittenBell;
  private final Aggregate aggregate;
  private final boolean boundaries;
  private final int gapBuckets;
  private final List<String> vocabulary;
  private final double typicalMean;
  private final double typicalStd;
  /** The two above as the shared rules take them. */
  private final Typicality typical;

  /**
   * @param wittenBell Witten-Bell interpolation (else add-{@code smoothing} with back-off)
   * @param gapBuckets 0 to model actions only; else the number of gap buckets combined with each
   *     action (token id = action id * gapBuckets + bucket)
   * @param typicalMean mean over training sequences of their mean surprisal ({@code typicality})
   * @param typicalStd standard deviation of the same
   */
  MarkovModel(ModelProvenance provenance, NgramCounts counts, boolean wittenBell, double smoothing,
      Aggregate aggregate, boolean boundaries, int gapBuckets, List<String> vocabulary, double typicalMean,
      double typicalStd) {
    this.provenance = provenance;
    this.counts = counts;
    this.wittenBell = wittenBell;
    this.smoothing = smoothing;
    this.aggregate = aggregate;
    this.boundaries = boundaries;
    this.gapBuckets = gapBuckets;
    this.typicalMean = typicalMean;
    this.typicalStd = typicalStd;
    this.typical = new Typicality(typicalMean, typicalStd);
    this.vocabulary = List.copyOf(vocabulary);
  }

  /** Surprisal and novelty of one event. */
  record Step(double probability, double surprisal, boolean unseen, long context, int order) {}

  Step step(int[] tokens, int i) {
    int v = counts.vocabulary();
    int x = tokens[i] < v ? tokens[i] : 1; // ids beyond training vocabulary are unknown
    long full = counts.context(tokens, i, counts.order());
    boolean unseen = counts.count(full, x) == 0;
    if (wittenBell) {
      // interpolate from the uniform distribution up through every context length
      double p = 1.0 / v;
      int used = 0;
      for (int len = 0; len <= counts.order(); len++) {
        long ctx = len == counts.order() ? full : counts.context(tokens, i, len);
        int total = counts.total(ctx);
        if (total == 0) {
          break; // a longer context extends this one, so it is unseen too
        }
        int types = counts.types(ctx);
        p = (counts.count(ctx, x) + types * p) / (total + types);
        used = len;
      }
      return new Step(p, -Math.log(p) / Math.log(2), unseen, counts.context(tokens, i, used), used);
    }
    for (int len = counts.order(); len >= 0; len--) {
      long ctx = len == counts.order() ? full : counts.context(tokens, i, len);
      int total = counts.total(ctx);
      if (total > 0) {
        double p = (counts.count(ctx, x) + smoothing) / (total + smoothing * v);
        return new Step(p, -Math.log(p) / Math.log(2), unseen, ctx, len);
      }
    }
    double p = 1.0 / v;
    return new Step(p, -Math.log(p) / Math.log(2), true, full, 0);
  }

  /** Score of a token array: the aggregate of its per-event surprisal. */
  /** Token ids as counted: actions, or actions combined with their gap bucket. */
  static int[] tokens(EncodedSequence e, int gapBuckets) {
    int[] t = e.tokens();
    if (gapBuckets > 0) {
      int[] g = e.gapBuckets();
      for (int i = 0; i < t.length; i++) {
        t[i] = t[i] < 2 ? t[i] : t[i] * gapBuckets + Math.min(g[i], gapBuckets - 1);
      }
    }
    return t;
  }

  /** Surprisal in bits of every event of a token array (and of its end, with boundaries). */
  double[] surprisals(int[] sequence) {
    int[] tokens = boundaries ? NgramCounts.withEnd(sequence) : sequence;
    double[] out = new double[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = step(tokens, i).surprisal();
    }
    return out;
  }

  double score(int[] sequence) {
    int[] tokens = boundaries ? NgramCounts.withEnd(sequence) : sequence;
    double max = 0;
    double sum = 0;
    int unseen = 0;
    for (int i = 0; i < tokens.length; i++) {
      Step s = step(tokens, i);
      max = Math.max(max, s.surprisal());
      sum += s.surprisal();
      unseen += s.unseen() ? 1 : 0;
    }
    return aggregate.apply(max, sum, unseen, tokens.length, typical, counts.vocabulary());
  }

  /**
   * Streaming: the state is the last {@code order} tokens and the running surprisal maximum, sum
   * and unseen count; each event costs one step, plus one for the end of the sequence (with
   * boundaries), so {@link State#add} returns the batch score of the sequence so far.
   */
  @Override
  public IncrementalModel.State start() {
    return new Incremental();
  }

  @Override
  public IncrementalModel.State readState(DataInput in) throws IOException {
    Incremental s = new Incremental();
    int order = in.readInt();
    if (order != counts.order()) {
      throw new ModelFormatException("markov streaming state has order " + order + ", the model " + counts.order());
    }
    s.n = in.readInt();
    s.max = in.readDouble();
    s.sum = in.readDouble();
    s.unseen = in.readInt();
    int kept = in.readInt();
    if (kept < 0 || kept > order || kept > s.n) {
      throw new ModelFormatException("markov streaming state keeps " + kept + " of " + s.n + " tokens");
    }
    s.context = new int[kept];
    for (int i = 0; i < kept; i++) {
      s.context[i] = in.readInt();
    }
    s.recent = new java.util.ArrayDeque<>();
    return s;
  }

  /** One sequence's running state. Not thread-safe. */
  private final class Incremental implements IncrementalModel.State {
    int[] context = new int[0];
    int n;
    double max;
    double sum;
    int unseen;
    /** the last few encoded events, for explanations */
    java.util.ArrayDeque<int[]> recent = new java.util.ArrayDeque<>();

    @Override
    public double add(EncodedSequence sequence, int i) {
      int token = sequence.token(i);
      int gapBucket = sequence.gapBucket(i);
      int t = gapBuckets > 0 && token >= 2 ? token * gapBuckets + Math.min(gapBucket, gapBuckets - 1) : token;
      int[] a = java.util.Arrays.copyOf(context, context.length + 1);
      a[context.length] = t;
      Step step = step(a, context.length);
      n++;
      max = Math.max(max, step.surprisal());
      sum += step.surprisal();
      unseen += step.unseen() ? 1 : 0;
      int keep = Math.min(counts.order(), a.length);
      context = java.util.Arrays.copyOfRange(a, a.length - keep, a.length);
      recent.addLast(new int[] {token, gapBucket});
      if (recent.size() > Math.max(8, counts.order() + 1)) {
        recent.removeFirst();
      }
      if (!boundaries) {
        return aggregate.apply(max, sum, unseen, n, typical, counts.vocabulary());
      }
      Step end = step(NgramCounts.withEnd(context), context.length);
      return aggregate.apply(Math.max(max, end.surprisal()), sum + end.surprisal(), unseen + (end.unseen() ? 1 : 0),
          n + 1, typical, counts.vocabulary());
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public EncodedSequence recent(String key) {
      int[] tokens = new int[recent.size()];
      int[] gaps = new int[recent.size()];
      int i = 0;
      for (int[] r : recent) {
        tokens[i] = r[0];
        gaps[i++] = r[1];
      }
      double[] prices = new double[tokens.length];
      java.util.Arrays.fill(prices, Double.NaN);
      return new EncodedSequence(key, tokens, gaps, new int[tokens.length], prices);
    }

    @Override
    public void write(DataOutput out) throws IOException {
      out.writeInt(counts.order());
      out.writeInt(n);
      out.writeDouble(max);
      out.writeDouble(sum);
      out.writeInt(unseen);
      out.writeInt(context.length);
      for (int c : context) {
        out.writeInt(c);
      }
    }

    @Override
    public long memoryBytes() {
      return 120 + 4L * context.length + 40L * recent.size();
    }
  }

  @Override
  public String detector() {
    return provenance.detector();
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public double score(Observation o) {
    return score(tokens(o.requireEncoded(), gapBuckets));
  }

  private String text(int id) {
    if (id == 0) {
      return "<end>";
    }
    if (gapBuckets > 0 && id >= 2) {
      return action(id / gapBuckets) + " [gap " + GAPS[Math.min(id % gapBuckets, GAPS.length - 1)] + "]";
    }
    return action(id);
  }

  private static final String[] GAPS = {"first", "<1s", "1-5s", "5-30s", "30s-2m", "2-10m", "10m-1h", ">1h"};

  private String action(int id) {
    return id >= 0 && id < vocabulary.size() ? vocabulary.get(id) : "#" + id;
  }

  @Override
  public Explanation explain(Observation o, int maxItems) {
    EncodedSequence e = o.requireEncoded();
    int[] t = boundaries ? NgramCounts.withEnd(tokens(e, gapBuckets)) : tokens(e, gapBuckets);
    List<Integer> idx = new ArrayList<>();
    Step[] steps = new Step[t.length];
    for (int i = 0; i < t.length; i++) {
      steps[i] = step(t, i);
      idx.add(i);
    }
    idx.sort(Comparator.comparingDouble((Integer i) -> -steps[i].surprisal()).thenComparingInt(i -> i));
    List<Contribution> out = new ArrayList<>();
    for (int i : idx.subList(0, Math.min(maxItems, idx.size()))) {
      Step s = steps[i];
      String name = "event " + (i + 1) + " '" + text(t[i]) + "'";
      StringBuilder reason = new StringBuilder(name);
      if (i > 0 && counts.order() > 0) {
        reason.append(" after '");
        for (int j = Math.max(0, i - counts.order()); j < i; j++) {
          reason.append(j > Math.max(0, i - counts.order()) ? " " : "").append(text(t[j]));
        }
        reason.append("'");
      }
      reason.append(String.format(Locale.ROOT, " has probability %s", FeatureStatistics.format(s.probability())));
      if (s.unseen()) {
        reason.append(" (never seen in training)");
      }
      int expected = expected(s.context());
      if (expected >= 0 && expected != t[i]) {
        reason.append("; expected '").append(text(expected)).append("'");
      }
      out.add(new Contribution(name, s.probability(), Double.NaN, s.surprisal(), reason.toString()));
    }
    return new Explanation(out);
  }

  /** Most frequent next token after a context, or -1. */
  private int expected(long context) {
    int best = -1;
    int bestCount = 0;
    for (int x = boundaries ? 0 : 2; x < counts.vocabulary(); x++) {
      if (x == 1) {
        continue;
      }
      int c = counts.count(context, x);
      if (c > bestCount) {
        best = x;
        bestCount = c;
      }
    }
    return best;
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, provenance);
    b.put("order", counts.order()).put("vocabulary-size", counts.vocabulary()).put("smoothing", smoothing)
        .put("estimator", wittenBell ? "witten-bell" : "add-k").put("aggregate", aggregate.name()).put("boundaries", boundaries ? 1 : 0).put("gap-buckets", gapBuckets)
        .put("typical-mean", typicalMean).put("typical-std", typicalStd).put("vocabulary", vocabulary).put("counts", counts.toRows());
    try (OutputStream s = out.create(FILE)) {
      b.build().write(s);
    }
  }

  static MarkovModel load(ArtifactReader in) throws IOException {
    if (!in.contains(FILE)) {
      throw new ModelFormatException("markov model: " + FILE + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(FILE)) {
      p = Parameters.read(s);
    }
    Aggregate a;
    try {
      a = Aggregate.valueOf(p.string("aggregate"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("markov model: unknown aggregate " + p.string("aggregate"));
    }
    // bundles written before the estimator was recorded used add-k
    String estimator = p.contains("estimator") ? p.string("estimator") : "add-k";
    if (!estimator.equals("witten-bell") && !estimator.equals("add-k")) {
      throw new ModelFormatException("markov model: unknown estimator " + estimator);
    }
    return new MarkovModel(VectorModel.readProvenance(p),
        NgramCounts.fromRows(p.intValue("order"), p.intValue("vocabulary-size"), p.ints("counts")),
        estimator.equals("witten-bell"), p.doubleValue("smoothing"), a, p.longValue("boundaries") != 0, p.intValue("gap-buckets"), p.strings("vocabulary"),
        p.doubleValue("typical-mean"), p.doubleValue("typical-std"));
  }
}
