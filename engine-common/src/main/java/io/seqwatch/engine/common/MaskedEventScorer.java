package io.seqwatch.engine.common;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.SurpriseAggregate;
import io.seqwatch.spi.support.Typicality;
import io.seqwatch.spi.support.VectorModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A trained masked-event encoder ({@code masked-transformer}) on any engine: an event's surprise is
 * how unlikely the encoder finds its action, time gap and category when that event is hidden and the
 * events around it (before and after) are shown; {@link MaskedEventConfig#passes()} forward passes
 * per window hide every {@code passes}-th event in turn. The sequence's score aggregates its events'
 * surprise ({@link SurpriseAggregate}), and with the {@code components} aggregates also how common
 * its events' actions, gaps and categories are among the training events regardless of context
 * ({@link EventFrequencies}); explanations name the most surprising events with what the
 * encoder expected there. {@link #embed} gives a sequence's embedding (the mean of its events'
 * encoder states, nothing hidden) for clustering or neighbour detectors downstream.
 *
 * <p>An engine supplies the two forward passes ({@link #forward}, {@link #states}); windows, the
 * order and shape of passes, aggregation, explanations and the model file are here, so that a model
 * exported from engine-djl scores the same on ONNX Runtime.
 *
 * <p>Thread-safety: safe for concurrent scoring when the engine's passes are.
 */
public abstract class MaskedEventScorer extends EncodedSequenceModel implements io.seqwatch.spi.Embedder {
  /** The settings file in a bundle: provenance, settings, the token map and the vocabulary. */
  public static final String CONFIG = "config.bin";
  /** Windows per forward pass when scoring. */
  public static final int CHUNK = 64;
  /** Events whose surprise is kept for explanations (about 40 bytes each). */
  static final long RECENT_EVENTS = 1 << 20;

  private final MaskedEventConfig config;
  private final int[] tokenMap;
  /**
   * The surprise of recently scored sequences, by content (key included), so that the explanation a pipeline asks
   * for right after a batch score does not run the passes again; bounded by {@link #RECENT_EVENTS}.
   */
  private final java.util.LinkedHashMap<EncodedSequence, Surprise> recent = new java.util.LinkedHashMap<>(16, 0.75f, true);
  private long recentEvents;

  /**
   * @param tokens the sequence encoder's vocabulary (what the sequences' token ids mean)
   * @param tokenMap an encoder token id to the network's
   */
  protected MaskedEventScorer(ModelProvenance provenance, MaskedEventConfig config, List<String> tokens, int[] tokenMap) {
    super(provenance, tokens);
    this.config = config;
    this.tokenMap = tokenMap.clone();
  }

  public MaskedEventConfig config() {
    return config;
  }

  public int[] tokenMap() {
    return tokenMap.clone();
  }

  /**
   * One forward pass over {@code rows} of {@code w} (-1: an empty row) padded to {@code t} events,
   * with the events {@code mask} marks ({@code [rows, t]}, 1 = hidden) hidden. Per hidden cell in
   * row-major order: the total surprise (nats), the most likely action, its probability, and the
   * action, gap and category surprise (category only where the event has one).
   */
  protected abstract float[][] forward(MaskedEventWindows w, int[] rows, int t, float[] mask);

  /** The encoder's states ({@code [rows, t, width]}, flat) for {@code rows} padded to {@code t}, nothing hidden. */
  protected abstract float[] states(MaskedEventWindows w, int[] rows, int t);

  /**
   * The cells an engine predicts in one pass of windows padded to {@code t}: the most a pass can
   * hide ({@link #CHUNK} windows, every {@code passes}-th event), so the output heads too run on a
   * shape fixed by the length class; an engine pads the hidden cells to it.
   */
  protected int cellsPerPass(int t) {
    return CHUNK * ((t + config.passes() - 1) / config.passes());
  }

  /** Runs an engine's inference; an engine overrides it to set its inference mode around the passes. */
  protected <T> T inference(java.util.function.Supplier<T> passes) {
    return passes.get();
  }

  /**
   * Per-event surprise (nats, the total and its action, gap and category parts) and the action the
   * encoder expected at each event.
   */
  public record Surprise(double[] nll, double[][] parts, int[] expected, float[] expectedProbability) {
    public Surprise(int n) {
      this(new double[n], new double[3][n], new int[n], new float[n]);
    }
  }

  /**
   * The per-event surprise of each sequence: kept from a recent pass over the same sequence object
   * (the fit's typicality pass, a batch score before its explanations) or computed. A sequence's
   * surprise does not depend on the others passed with it (passes have fixed shapes), so the kept and
   * the computed agree to the last bit.
   */
  public List<Surprise> surprise(List<EncodedSequence> seqs) {
    requireOpen();
    Surprise[] out = new Surprise[seqs.size()];
    List<EncodedSequence> missing = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    synchronized (recent) {
      for (int i = 0; i < out.length; i++) {
        out[i] = recent.get(seqs.get(i));
        if (out[i] == null) {
          missing.add(seqs.get(i));
          at.add(i);
        }
      }
    }
    if (!missing.isEmpty()) {
      List<Surprise> computed = compute(missing);
      for (int k = 0; k < computed.size(); k++) {
        out[at.get(k)] = computed.get(k);
      }
      remember(missing, computed);
    }
    return java.util.Arrays.asList(out);
  }

  /**
   * Keeps the surprise of {@code seqs} (by identity) for later scores and explanations, the oldest
   * dropped beyond {@link #RECENT_EVENTS} events: an engine's fit hands over its typicality pass.
   */
  public void remember(List<EncodedSequence> seqs, List<Surprise> all) {
    synchronized (recent) {
      for (int i = 0; i < seqs.size(); i++) {
        Surprise old = recent.put(seqs.get(i), all.get(i));
        recentEvents += seqs.get(i).length() - (old == null ? 0 : old.nll().length);
      }
      var it = recent.entrySet().iterator();
      while (recentEvents > RECENT_EVENTS && it.hasNext()) {
        recentEvents -= it.next().getValue().nll().length;
        it.remove();
      }
    }
  }

  private List<Surprise> compute(List<EncodedSequence> seqs) {
    MaskedEventWindows w = new MaskedEventWindows(seqs, config, tokenMap);
    List<Surprise> out = new ArrayList<>(seqs.size());
    for (EncodedSequence s : seqs) {
      int n = s.length();
      out.add(new Surprise(n));
    }
    int passes = config.passes();
    inference(() -> {
      for (int[] cells : passes(w, passes)) {
        int t = cells[0];
        int[] rows = new int[CHUNK];
        float[] mask = new float[CHUNK * t];
        for (int i = 0; i < CHUNK; i++) {
          int code = cells[i + 1];
          rows[i] = code < 0 ? -1 : code / passes;
          if (code >= 0) {
            for (int j = w.scoredFrom(rows[i]); j < w.length(rows[i]); j++) {
              if (j % passes == code % passes) {
                mask[i * t + j] = 1f;
              }
            }
          }
        }
        float[][] r = forward(w, rows, t, mask);
        int cell = 0;
        for (int i = 0; i < CHUNK; i++) {
          for (int j = 0; j < t; j++) {
            if (mask[i * t + j] == 1f) {
              int row = rows[i];
              Surprise target = out.get(w.sequence(row));
              int e = w.start(row) + j;
              target.nll()[e] = r[0][cell];
              target.expected()[e] = (int) r[1][cell];
              target.expectedProbability()[e] = r[2][cell];
              for (int c = 0; c < 3; c++) {
                target.parts()[c][e] = r[3 + c][cell];
              }
              cell++;
            }
          }
        }
      }
      return null;
    });
    return out;
  }

  /**
   * The forward passes over windows of {@code w}, each window repeated {@code passes} times (cell
   * code = window * passes + pass): cells grouped by their padded length (the next power of two, at
   * most the window), {@link #CHUNK} per pass, the last pass of a length filled with -1. Element 0 of
   * each pass is its padded length. Every pass thus has a shape fixed by its length class, so a
   * window's result never depends on which other windows share its pass: one sequence scored alone
   * and in a batch agree to the last bit.
   */
  public static List<int[]> passes(MaskedEventWindows w, int passes) {
    java.util.TreeMap<Integer, List<Integer>> byLength = new java.util.TreeMap<>();
    for (int r = 0; r < w.rows(); r++) {
      int t = Math.min(w.window(), Integer.highestOneBit(Math.max(1, w.length(r) - 1)) << 1);
      List<Integer> cells = byLength.computeIfAbsent(Math.max(t, 1), k -> new ArrayList<>());
      for (int p = 0; p < passes; p++) {
        cells.add(r * passes + p);
      }
    }
    List<int[]> out = new ArrayList<>();
    byLength.forEach((t, cells) -> {
      for (int from = 0; from < cells.size(); from += CHUNK) {
        int[] pass = new int[CHUNK + 1];
        java.util.Arrays.fill(pass, -1);
        pass[0] = t;
        for (int i = 0; i < CHUNK && from + i < cells.size(); i++) {
          pass[i + 1] = cells.get(from + i);
        }
        out.add(pass);
      }
    });
    return out;
  }

  @Override
  public double[] scoreAll(List<Observation> observations) {
    List<EncodedSequence> seqs = new ArrayList<>(observations.size());
    for (Observation o : observations) {
      seqs.add(o.requireEncoded());
    }
    List<Surprise> all = surprise(seqs);
    double[] scores = new double[seqs.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = score(all.get(i), seqs.get(i));
    }
    return scores;
  }

  /** The typical-set z of each surprise part (action, gap, category) of a sequence. */
  public static double[] partZ(Surprise r, MaskedEventConfig c) {
    int n = r.nll().length;
    double[] z = new double[3];
    for (int p = 0; p < 3; p++) {
      double sum = 0;
      for (double v : r.parts()[p]) {
        sum += v;
      }
      // no floor on the spread beyond Typicality's: on Diginetica (all views) a floor of 0.1 nats
      // cost PR-AUC 0.877 -> 0.814 (seeds 1-3), the rare non-view actions of attacks being the evidence
      // surprise is skewed right: the standard deviation is set by the rare surprising events, and a
      // run of events more predictable than people's (a replayed session, a bot) is measured in how
      // events below the mean spread instead (seeds 1-3, PR-AUC: Taobao 0.871 -> 0.938, REES46
      // 0.934 -> 0.958, Diginetica 0.877 -> 0.903; HDFS, whose anomalies are only ever surprising,
      // 0.978 -> 0.940: aggregate=components-sd keeps the standard deviation on both sides)
      z[p] = MaskedEventConfig.z(c.parts().get(p), c.shortfallScale(p), sum, n);
    }
    return z;
  }

  /**
   * The score of {@code s} whose events' surprise is {@code r}: {@link #aggregate}, and with the
   * {@code components} aggregates each part's context-free typical-set z added ({@link
   * EventFrequencies}) where the fit measured the training events' frequencies.
   */
  public double score(Surprise r, EncodedSequence s) {
    return score(r, contextFreeZ(s));
  }

  /** {@link #score(Surprise, EncodedSequence)} with the sequence's context-free z already at hand. */
  private double score(Surprise r, double[] contextFree) {
    double score = aggregate(r, config);
    if (config.rule().isEmpty()) {
      for (double z : contextFree) {
        score += z;
      }
    }
    return score;
  }

  /** Per part (action, gap, category), the context-free typical-set z of {@code s} (zeros when not measured). */
  public double[] contextFreeZ(EncodedSequence s) {
    return config.frequencies().z(s, config, tokenMap);
  }

  /** The aggregate of the events' surprise given their context (without the context-free parts). */
  public static double aggregate(Surprise r, MaskedEventConfig c) {
    int n = r.nll().length;
    if (c.rule().isEmpty()) { // components: each part's typical-set z, summed
      double z = 0;
      for (double v : partZ(r, c)) {
        z += v;
      }
      return z;
    }
    double max = 0;
    double sum = 0;
    for (double v : r.nll()) {
      max = Math.max(max, v);
      sum += v;
    }
    return c.rule().get().apply(max, sum, 0, n, c.typicality(), c.vocabulary().size());
  }

  /** {@code c} with the typical surprise of the training events {@code all}: the total and each part. */
  public static MaskedEventConfig measured(MaskedEventConfig c, List<Surprise> all) {
    List<Typicality> parts = List.of(typical(all, 0), typical(all, 1), typical(all, 2));
    List<Double> below = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      below.add(spreadBelow(all, p, parts.get(p).mean()));
    }
    return c.withTypicality(typical(all, -1), parts, below);
  }

  /** The root mean square of the shortfalls of part {@code part}'s surprise below {@code mean}. */
  static double spreadBelow(List<Surprise> all, int part, double mean) {
    double sq = 0;
    long n = 0;
    for (Surprise s : all) {
      for (double v : s.parts()[part]) {
        if (v < mean) {
          sq += (mean - v) * (mean - v);
          n++;
        }
      }
    }
    return n == 0 ? 0 : Math.sqrt(sq / n);
  }

  /** The typical surprise of training events: the total ({@code part} -1) or one part. */
  public static Typicality typical(List<Surprise> all, int part) {
    Typicality.Meter meter = new Typicality.Meter();
    for (Surprise s : all) {
      meter.add(part < 0 ? s.nll() : s.parts()[part]);
    }
    return meter.typicality();
  }

  @Override
  public int embeddingSize() {
    return config.width();
  }

  @Override
  public List<float[]> embed(List<Observation> observations) {
    List<EncodedSequence> seqs = new ArrayList<>(observations.size());
    for (Observation o : observations) {
      seqs.add(o.requireEncoded());
    }
    return embedSequences(seqs);
  }

  /**
   * Each sequence's embedding: the mean of its events' encoder states with nothing hidden (the width
   * of the model; zeros for an empty sequence). Windows of a long sequence are averaged by events.
   */
  private List<float[]> embedSequences(List<EncodedSequence> seqs) {
    requireOpen();
    MaskedEventWindows w = new MaskedEventWindows(seqs, config, tokenMap);
    int width = config.width();
    List<float[]> out = new ArrayList<>(seqs.size());
    int[] counts = new int[seqs.size()];
    for (int i = 0; i < seqs.size(); i++) {
      out.add(new float[width]);
    }
    inference(() -> {
      for (int[] cells : passes(w, 1)) {
        int t = cells[0];
        int[] rows = java.util.Arrays.copyOfRange(cells, 1, CHUNK + 1);
        float[] states = states(w, rows, t);
        for (int i = 0; i < CHUNK && rows[i] >= 0; i++) {
          int r = rows[i];
          float[] e = out.get(w.sequence(r));
          for (int j = w.scoredFrom(r); j < w.length(r); j++) {
            for (int d = 0; d < width; d++) {
              e[d] += states[(i * t + j) * width + d];
            }
            counts[w.sequence(r)]++;
          }
        }
      }
      return null;
    });
    for (int i = 0; i < out.size(); i++) {
      if (counts[i] > 0) {
        float[] e = out.get(i);
        for (int d = 0; d < width; d++) {
          e[d] /= counts[i];
        }
      }
    }
    return out;
  }

  @Override
  public Explanation explain(Observation o, int maxItems) {
    EncodedSequence s = o.requireEncoded();
    Surprise r = surprise(List.of(s)).get(0);
    int n = s.length();
    List<Contribution> out = new ArrayList<>();
    if (n == 0) {
      return Explanation.NONE;
    }
    // the context-free means read once, for the score and the reason
    double[] freeMean = config.frequencies().meanSurprise(s, config, tokenMap);
    double[] free = config.frequencies().z(freeMean, n, config);
    double score = score(r, free);
    if (config.rule().isEmpty()) { // components: which parts lie how far from people's, and which way
      double[] z = partZ(r, config);
      List<Double> weights = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        double mean = java.util.Arrays.stream(r.parts()[p]).average().orElse(0);
        weights.add(z[p]);
        parts.add(String.format(Locale.ROOT, "%s z %.1f (mean surprise %s vs %s: %s)", MaskedEventConfig.COMPONENTS.get(p),
            z[p], FeatureStatistics.format(mean), FeatureStatistics.format(config.parts().get(p).mean()),
            mean < config.parts().get(p).mean() ? "more predictable" : "more surprising"));
      }
      if (config.frequencies().measured()) {
        for (int p = 0; p < 3; p++) {
          double typical = config.frequencies().typical(p).mean();
          weights.add(free[p]);
          parts.add(String.format(Locale.ROOT, "%s alone z %.1f (mean surprise %s vs %s: %s)",
              MaskedEventConfig.COMPONENTS.get(p), free[p], FeatureStatistics.format(freeMean[p]),
              FeatureStatistics.format(typical), freeMean[p] < typical ? "commoner values than people's" : "rarer values than people's"));
        }
      }
      // the parts that weigh most first (ties in the order above)
      List<Integer> byWeight = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        byWeight.add(i);
      }
      byWeight.sort(Comparator.<Integer>comparingDouble(i -> -weights.get(i)).thenComparingInt(i -> i));
      out.add(new Contribution("typicality", score, 0, 1, String.format(Locale.ROOT,
          "typicality: %d events unlike people's in %s", n,
          String.join(", ", byWeight.stream().map(parts::get).toList()))));
    } else if (!config.aggregate().equals("mean") && !config.aggregate().equals("max")) {
      int[] tokens = new int[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = s.token(i);
      }
      Contribution c = config.typicality().reason(r.nll(), tokens, this::tokenText);
      out.add(new Contribution(c.name(), c.value(), c.typical(), c.weight(), "typicality: " + c.reason()));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingDouble(i -> -r.nll()[i]).thenComparingInt(i -> i));
    for (int i : order.subList(0, Math.min(Math.max(0, maxItems - out.size()), n))) {
      String expected = config.vocabulary().get(Math.min(r.expected()[i], config.vocabulary().size() - 1));
      out.add(new Contribution("event " + i, r.nll()[i], config.typicality().mean(), r.nll()[i] / Math.max(score, 1e-9),
          String.format(Locale.ROOT, "event %d '%s' is unlikely from the events around it (surprise %.2f nats vs %.2f typical); the encoder expected '%s' (p %.2f)",
              i, tokenText(s.token(i)), r.nll()[i], config.typicality().mean(), expected, r.expectedProbability()[i])));
    }
    return new Explanation(out);
  }

  /** The model file: provenance, settings, the token map and the encoder's vocabulary. */
  public Parameters configFile() {
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, provenance());
    config.writeTo(b);
    b.put("token-map", tokenMap).put("tokens", tokens());
    return b.build();
  }

  @Override
  public String toString() {
    return detector() + " (" + config.shape() + ", " + config.passes() + " passes, " + config.aggregate() + ")";
  }
}
