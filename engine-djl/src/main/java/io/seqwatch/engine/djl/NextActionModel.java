package io.seqwatch.engine.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.seqwatch.api.Contribution;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.FeatureStatistics;
import io.seqwatch.spi.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.VectorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained GRU or LSTM next-action model (DeepLog: Du et al., CCS 2017). For each event it computes
 * the probability of the actual next token given the previous {@code window} tokens; the event is a
 * <em>miss</em> when that token is not among the {@code top-k} predictions. Scores ({@code aggregate}):
 * {@code max} (default) or {@code mean} negative log-likelihood in nats, {@code misses} (DeepLog's
 * rule), {@code combined} = misses + maxNLL / (1 + maxNLL).
 *
 * <p>Native memory: the parameters live in a DJL model; every scoring call works in its own
 * sub-manager that is closed before returning. Thread-safety: safe for concurrent scoring (calls are
 * serialised per model); {@link #close()} (idempotent) must not race with scoring.
 */
final class NextActionModel implements io.seqwatch.spi.Model {
  private static final Logger LOG = LoggerFactory.getLogger(NextActionModel.class);
  static final String CONFIG = "config.bin";
  static final String WEIGHTS = "weights.params";
  private static final int CHUNK = 64;

  /** Architecture and scoring settings, persisted in {@code config.bin}. */
  record Config(String cell, int vocabulary, int embedding, int hidden, int layers, int window, int topK,
      String aggregate, boolean boundaries, int gapBuckets, int categoryBuckets, int heads) {
    /** Whether the network reads side information (the transformer). */
    boolean side() {
      return cell.equals("transformer");
    }

    Windows windows(List<EncodedSequence> seqs) {
      return new Windows(seqs, boundaries, window, vocabulary, gapBuckets, categoryBuckets, side());
    }
  }

  private final ModelProvenance provenance;
  private final Config config;
  private final List<String> tokens;
  private final Model djl;
  private final ai.djl.nn.Block net;
  private final AtomicBoolean closed = new AtomicBoolean();

  NextActionModel(ModelProvenance provenance, Config config, List<String> tokens, Model djl, ai.djl.nn.Block net) {
    this.provenance = provenance;
    this.config = config;
    this.tokens = List.copyOf(tokens);
    this.djl = djl;
    this.net = net;
    // inference only from here on: no autograd graphs behind the forward passes
    net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
  }

  Config config() {
    return config;
  }

  /** Per-event results of one sequence. */
  record Events(double[] nll, boolean[] miss, int[][] expected, int[] target, float[][] attention) {}

  /**
   * Log-probabilities of the next token for windows, in chunks, in a sub-manager. Synchronized: the
   * DJL PyTorch forward pass of a shared block crashed natively under concurrent calls here, so one
   * model runs one forward pass at a time (PyTorch itself is pinned to one thread anyway).
   */
  private synchronized List<Events> events(List<EncodedSequence> sequences, int expectedTop) {
    Windows win = config.windows(sequences);
    int total = win.rows;
    double[] nll = new double[total];
    boolean[] miss = new boolean[total];
    int[][] expected = new int[total][];
    float[][] attention = new float[total][];
    DjlRuntime.withoutGrad(() -> {
      try (NDManager sub = djl.getNDManager().newSubManager()) {
        // fixed-size passes (the last one padded): a window's result never depends on which other
        // windows share its pass, to the last bit, so batch and single scoring agree exactly
        for (int from = 0; from < total; from += CHUNK) {
          forward(sub, win, from, Math.min(CHUNK, total - from), expectedTop, nll, miss, expected, attention);
        }
      }
      return null;
    });
    List<Events> out = new ArrayList<>(sequences.size());
    int row = 0;
    for (EncodedSequence s : sequences) {
      int m = Windows.count(s.length(), config.boundaries());
      int[] t = new int[m];
      for (int i = 0; i < m; i++) {
        t[i] = (int) win.targets[row + i];
      }
      out.add(new Events(java.util.Arrays.copyOfRange(nll, row, row + m), java.util.Arrays.copyOfRange(miss, row, row + m),
          java.util.Arrays.copyOfRange(expected, row, row + m), t, java.util.Arrays.copyOfRange(attention, row, row + m)));
      row += m;
    }
    return out;
  }

  private void forward(NDManager sub, Windows win, int from, int n, int expectedTop, double[] nll,
      boolean[] miss, int[][] expected, float[][] attention) {
    try (NDManager step = sub.newSubManager()) {
      NDList outputs = net.forward(new ParameterStore(step, false), win.inputs(step, Windows.range(from, n), CHUNK), false);
      float[] lp = outputs.head().logSoftmax(1).toFloatArray();
      float[] att = expectedTop > 0 && outputs.size() > 1 ? outputs.get(1).toFloatArray() : null;
      int v = config.vocabulary();
      int w = config.window();
      for (int i = 0; i < n; i++) {
        int t = (int) win.targets[from + i];
        float own = lp[i * v + t];
        int better = 0;
        for (int k = 0; k < v; k++) {
          if (lp[i * v + k] > own) {
            better++;
          }
        }
        nll[from + i] = -own;
        miss[from + i] = better >= config.topK();
        if (expectedTop > 0) {
          expected[from + i] = top(lp, i * v, v, expectedTop);
        }
        if (att != null) {
          attention[from + i] = java.util.Arrays.copyOfRange(att, i * w, (i + 1) * w);
        }
      }
    }
  }

  private static int[] top(float[] lp, int offset, int v, int k) {
    Integer[] idx = new Integer[v];
    for (int i = 0; i < v; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -lp[offset + i]));
    int[] out = new int[Math.min(k, v)];
    for (int i = 0; i < out.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  private double aggregate(Events e) {
    double max = 0;
    double sum = 0;
    int misses = 0;
    for (int i = 0; i < e.nll().length; i++) {
      max = Math.max(max, e.nll()[i]);
      sum += e.nll()[i];
      misses += e.miss()[i] ? 1 : 0;
    }
    return switch (config.aggregate()) {
      case "max" -> max;
      case "mean" -> e.nll().length == 0 ? 0 : sum / e.nll().length;
      case "misses" -> misses;
      default -> misses + max / (1 + max);
    };
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(provenance.detector() + " model is closed");
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
    return scoreAll(List.of(o))[0];
  }

  @Override
  public double[] scoreAll(List<Observation> observations) {
    requireOpen();
    List<EncodedSequence> seqs = new ArrayList<>(observations.size());
    for (Observation o : observations) {
      seqs.add(o.requireEncoded());
    }
    double[] out = new double[seqs.size()];
    int from = 0;
    while (from < seqs.size()) { // bound the windows held at once
      int to = from;
      int windows = 0;
      while (to < seqs.size() && (to == from || windows + seqs.get(to).length() < 512 * CHUNK)) {
        windows += seqs.get(to).length() + 1;
        to++;
      }
      List<Events> ev = events(seqs.subList(from, to), 0);
      for (int i = 0; i < ev.size(); i++) {
        out[from + i] = aggregate(ev.get(i));
      }
      from = to;
    }
    return out;
  }

  private String text(int id) {
    if (id == 0) {
      return config.boundaries() ? "<end>" : "<pad>";
    }
    return id < tokens.size() ? tokens.get(id) : "#" + id;
  }

  @Override
  public Explanation explain(Observation o, int maxItems) {
    requireOpen();
    EncodedSequence seq = o.requireEncoded();
    Events e = events(List.of(seq), 3).get(0);
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < e.nll().length; i++) {
      idx.add(i);
    }
    idx.sort(Comparator.comparingDouble((Integer i) -> -e.nll()[i]).thenComparingInt(i -> i));
    List<Contribution> out = new ArrayList<>();
    for (int i : idx.subList(0, Math.min(maxItems, idx.size()))) {
      double p = Math.exp(-e.nll()[i]);
      String name = "event " + (i + 1) + " '" + text(e.target()[i]) + "'";
      StringBuilder r = new StringBuilder(name).append(" has probability ").append(FeatureStatistics.format(p));
      if (e.miss()[i]) {
        r.append(" (outside the top ").append(config.topK()).append(")");
      }
      r.append("; expected ");
      int[] ex = e.expected()[i];
      for (int k = 0; k < ex.length; k++) {
        r.append(k == 0 ? "" : ", ").append("'").append(text(ex[k])).append("'");
      }
      float[] att = e.attention()[i];
      if (att != null) { // transformer: the earlier event the prediction attended to most
        int best = -1;
        for (int j = 0; j < att.length; j++) {
          int at = i - att.length + j;
          if (at >= 0 && (best < 0 || att[j] > att[best])) {
            best = j;
          }
        }
        if (best >= 0) {
          int at = i - att.length + best;
          r.append("; it attended most to event ").append(at + 1).append(" '").append(text(seq.token(at)))
              .append("' (weight ").append(FeatureStatistics.format(att[best])).append(")");
        }
      }
      out.add(new Contribution(name, p, Double.NaN, e.nll()[i], r.toString()));
    }
    return new Explanation(out);
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    requireOpen();
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, provenance);
    b.put("cell", config.cell()).put("vocabulary-size", config.vocabulary()).put("embedding", config.embedding())
        .put("hidden", config.hidden()).put("layers", config.layers()).put("window", config.window())
        .put("top-k", config.topK()).put("aggregate", config.aggregate())
        .put("boundaries", config.boundaries() ? 1 : 0).put("gap-buckets", config.gapBuckets())
        .put("category-buckets", config.categoryBuckets()).put("heads", config.heads()).put("tokens", tokens);
    try (OutputStream s = out.create(CONFIG)) {
      b.build().write(s);
    }
    try (OutputStream s = out.create(WEIGHTS)) {
      s.write(weights(net));
    }
  }

  static byte[] weights(ai.djl.nn.Block net) throws IOException {
    return weightsOf(net);
  }

  /** DJL's parameter serialisation of a block, as bytes. */
  static byte[] weightsOf(ai.djl.nn.Block net) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(bytes)) {
      net.saveParameters(d);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        djl.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the {} model failed: {}", provenance.detector(), e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s[%s %dx%d, window %d, vocabulary %d]", provenance.detector(), config.cell(),
        config.layers(), config.hidden(), config.window(), config.vocabulary());
  }
}
