package io.seqwatch.engine.common;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.EncodedAttributes;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.Modality;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.support.SurpriseAggregate;
import io.seqwatch.spi.support.Typicality;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.IncrementalModel;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The engine-neutral half of a next-action model (DeepLog: Du et al., CCS 2017): an engine supplies
 * the log-probabilities of the next token for fixed-size chunks of windows ({@link #forward}); this
 * class turns them into per-event negative log-likelihoods and top-{@code k} misses, aggregates them
 * per sequence ({@code max}, {@code mean}, {@code misses} or {@code combined} = misses + maxNLL / (1 +
 * maxNLL)) and explains a score by its least likely events with the expected actions (and, when the
 * engine returns attention, the earlier event the prediction attended to most).
 *
 * <p>Every forward pass holds exactly {@link #CHUNK} windows (the last one padded), so a window's
 * result never depends on which other windows share its pass: batch and single scoring agree to the
 * last bit, on any engine that is deterministic per pass.
 *
 * <p>Thread-safety: safe for concurrent scoring; forward passes of one model are serialised (engines
 * are pinned to one thread anyway). {@link #close()} is idempotent and must not race with scoring.
 */
public abstract class NextActionScorer extends EncodedSequenceModel implements IncrementalModel {
  /** The modalities a fusing network weighs, in the order of its gate output. */
  public static final List<Modality> MODALITIES = List.of(Modality.values());
  /** Windows per forward pass. */
  public static final int CHUNK = 64;
  /** File holding the configuration and the vocabulary. */
  public static final String CONFIG = "config.bin";

  private final NextActionConfig config;
  private final Typicality typicality;
  private final SurpriseAggregate rule;

  protected NextActionScorer(ModelProvenance provenance, NextActionConfig config, List<String> tokens) {
    super(provenance, tokens);
    this.config = config;
    this.typicality = config.typicality();
    this.rule = AggregateOption.rule(config.aggregate());
  }

  /** The model's configuration. */
  public NextActionConfig config() {
    return config;
  }

  /**
   * Runs the network on one padded chunk of {@link #CHUNK} windows.
   *
   * @param batch the inputs, {@link #CHUNK} rows
   * @param logProbs receives {@code [CHUNK, vocabulary]} next-token log-probabilities
   * @param attributeLogProbs receives {@code [CHUNK, predictedAttributes]} log-probabilities of the
   *     next event's predicted attribute values (0 where it has none) when {@link
   *     NextActionConfig#predictedAttributes()} is not 0
   * @param attention receives {@code [CHUNK, window]} attention weights when the network has them
   *     and {@code wantAttention} is set; may be left untouched
   * @param gates receives {@code [CHUNK, window, modalities]} modality gate weights along with the
   *     attention when the network fuses attributes ({@link NextActionConfig#fusion()})
   * @return whether {@code attention} (and, with fusion, {@code gates}) was filled
   */
  protected abstract boolean forward(Windows.Batch batch, float[] logProbs, float[] attributeLogProbs,
      float[] attention, float[] gates, boolean wantAttention);

  /**
   * Wraps a run of forward passes (engines pin thread-local modes or scope native memory here).
   * The default runs it as it is.
   */
  protected <T> T inference(java.util.function.Supplier<T> body) {
    return body.get();
  }

  /** Per-event results of one sequence. */
  record Events(double[] nll, boolean[] miss, int[][] expected, int[] target, float[][] attention, float[][] gates,
      float[][] attributeLogProbs) {}

  private synchronized List<Events> events(List<EncodedSequence> sequences, int expectedTop) {
    Windows win = config.windows(sequences);
    int total = win.rows;
    double[] nll = new double[total];
    boolean[] miss = new boolean[total];
    int[][] expected = new int[total][];
    float[][] attention = new float[total][];
    float[][] gates = new float[total][];
    float[][] attributeLp = new float[total][];
    int pa = config.predictedAttributes();
    inference(() -> {
      int v = config.vocabulary();
      int w = config.window();
      int gw = w * MODALITIES.size();
      float[] lp = new float[CHUNK * v];
      float[] alp = new float[CHUNK * pa];
      float[] att = new float[CHUNK * w];
      float[] gate = new float[CHUNK * gw];
      for (int from = 0; from < total; from += CHUNK) {
        int n = Math.min(CHUNK, total - from);
        boolean hasAttention = forward(win.batch(Windows.range(from, n), CHUNK), lp, alp, att, gate,
            expectedTop > 0);
        for (int i = 0; i < n; i++) {
          int t = (int) win.targets[from + i];
          float own = lp[i * v + t];
          int better = 0;
          for (int k = 0; k < v; k++) {
            if (lp[i * v + k] > own) {
              better++;
            }
          }
          nll[from + i] = -own + attributeNll(alp, i, pa);
          if (expectedTop > 0 && pa > 0) {
            attributeLp[from + i] = Arrays.copyOfRange(alp, i * pa, (i + 1) * pa);
          }
          miss[from + i] = better >= config.topK();
          if (expectedTop > 0) {
            expected[from + i] = top(lp, i * v, v, expectedTop);
          }
          if (hasAttention) {
            attention[from + i] = Arrays.copyOfRange(att, i * w, (i + 1) * w);
            if (config.fusion()) {
              gates[from + i] = Arrays.copyOfRange(gate, i * gw, (i + 1) * gw);
            }
          }
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
      out.add(new Events(Arrays.copyOfRange(nll, row, row + m), Arrays.copyOfRange(miss, row, row + m),
          Arrays.copyOfRange(expected, row, row + m), t, Arrays.copyOfRange(attention, row, row + m),
          Arrays.copyOfRange(gates, row, row + m), Arrays.copyOfRange(attributeLp, row, row + m)));
      row += m;
    }
    return out;
  }

  /** The surprise of row {@code i}'s predicted attribute values: minus the sum of their log-probabilities. */
  private static double attributeNll(float[] alp, int i, int predicted) {
    double sum = 0;
    for (int k = 0; k < predicted; k++) {
      sum -= alp[i * predicted + k];
    }
    return sum;
  }

  private static int[] top(float[] lp, int offset, int v, int k) {
    Integer[] idx = new Integer[v];
    for (int i = 0; i < v; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -lp[offset + i]));
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
    return aggregate(max, sum, misses, e.nll().length);
  }

  /** The sequence score from the running per-event NLL maximum, sum, misses and count. */
  private double aggregate(double max, double sum, int misses, int count) {
    return rule.apply(max, sum, misses, count, typicality, config.vocabulary());
  }

  /**
   * The mean and standard deviation of the per-event NLL over every event of these sequences: the
   * model's entropy rate on typical data and its spread ({@code typicality}). Training calls it on
   * the training sequences.
   */
  public Typicality typicalNll(List<EncodedSequence> sequences) {
    requireOpen();
    Typicality.Meter meter = new Typicality.Meter();
    for (int from = 0; from < sequences.size(); from += 256) {
      for (Events e : events(sequences.subList(from, Math.min(sequences.size(), from + 256)), 0)) {
        meter.add(e.nll());
      }
    }
    return meter.typicality();
  }

  /** NLL and top-k miss of the given rows of {@code win}, in one padded pass. */
  private synchronized double[][] rows(Windows win, int[] rows) {
    requireOpen();
    int v = config.vocabulary();
    int pa = config.predictedAttributes();
    float[] lp = new float[CHUNK * v];
    float[] alp = new float[CHUNK * pa];
    inference(() -> forward(win.batch(rows, CHUNK), lp, alp, null, null, false));
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      int t = (int) win.targets[rows[i]];
      float own = lp[i * v + t];
      int better = 0;
      for (int k = 0; k < v; k++) {
        if (lp[i * v + k] > own) {
          better++;
        }
      }
      out[i] = new double[] {-own + attributeNll(alp, i, pa), better >= config.topK() ? 1 : 0};
    }
    return out;
  }

  @Override
  public IncrementalModel.State start() {
    return new Incremental(config.window());
  }

  @Override
  public IncrementalModel.State readState(DataInput in) throws IOException {
    int w = in.readInt();
    if (w != config.window()) {
      throw new ModelFormatException(detector() + " streaming state has window " + w + ", the model " + config.window());
    }
    Incremental s = new Incremental(w);
    s.n = in.readInt();
    s.max = in.readDouble();
    s.sum = in.readDouble();
    s.misses = in.readInt();
    int kept = in.readInt();
    if (kept < 0 || kept > w || s.n < kept) {
      throw new ModelFormatException(detector() + " streaming state keeps " + kept + " of " + s.n + " events");
    }
    EncodedAttributes.Layout layout = config.attributes();
    int slots = config.fusion() ? layout.slots() : 0;
    int values = config.fusion() ? layout.values() : 0;
    int[] t = new int[kept];
    int[] g = new int[kept];
    int[] c = new int[kept];
    double[] p = new double[kept];
    int[] ids = new int[kept * slots];
    float[] vals = new float[kept * values];
    for (int i = 0; i < kept; i++) {
      t[i] = in.readInt();
      g[i] = in.readInt();
      c[i] = in.readInt();
      p[i] = in.readDouble();
      for (int k = 0; k < slots; k++) {
        ids[i * slots + k] = in.readInt();
      }
      for (int k = 0; k < values; k++) {
        vals[i * values + k] = in.readFloat();
      }
    }
    try {
      s.window = new EncodedSequence("stream", t, g, c, p,
          config.fusion() ? new EncodedAttributes(layout, ids, vals) : EncodedAttributes.NONE);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(detector() + " streaming state: " + e.getMessage(), e);
    }
    return s;
  }

  /**
   * One pass per {@link #CHUNK} rows for many sequences' next events: each event's window (and, with
   * boundaries, the window that predicts the end after it) in the same padded passes that batch
   * scoring uses, so every score is the one {@link IncrementalModel.State#add} gives alone.
   */
  @Override
  public double[] addAll(List<Step> steps) {
    requireOpen();
    Set<IncrementalModel.State> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<EncodedSequence> minis = new ArrayList<>(steps.size());
    for (Step st : steps) {
      if (!(st.state() instanceof Incremental s) || s.owner() != this) {
        throw new IllegalArgumentException("a streaming state of another model was given to " + detector());
      }
      if (!seen.add(s)) {
        throw new IllegalArgumentException("one state was given two events in one addAll call");
      }
      minis.add(s.with(st.sequence(), st.index()));
    }
    Windows win = config.windows(minis);
    int per = config.boundaries() ? 2 : 1;
    int[] need = new int[minis.size() * per];
    int row = 0;
    for (int i = 0; i < minis.size(); i++) {
      int m = minis.get(i).length();
      need[i * per] = row + m - 1; // the new event given the window before it
      if (per == 2) {
        need[i * per + 1] = row + m; // the end of the sequence given the window ending at it
      }
      row += Windows.count(m, config.boundaries());
    }
    double[][] r = new double[need.length][];
    for (int from = 0; from < need.length; from += CHUNK) {
      double[][] part = rows(win, Arrays.copyOfRange(need, from, Math.min(need.length, from + CHUNK)));
      System.arraycopy(part, 0, r, from, part.length);
    }
    double[] out = new double[steps.size()];
    for (int i = 0; i < out.length; i++) {
      Step st = steps.get(i);
      Incremental s = (Incremental) st.state();
      out[i] = s.complete(r[i * per], per == 2 ? r[i * per + 1] : null);
      s.push(minis.get(i));
    }
    return out;
  }

  /**
   * One sequence's running state: the last {@code window} encoded events (with their attributes)
   * and the running NLL maximum, sum and misses of the events so far. Each event needs two rows of a
   * padded pass: the new event given the window before it, and (with boundaries) the end of the
   * sequence given the window ending at it, so the returned score is the batch score of the
   * sequence so far. {@link #add} spends a pass on one event; {@link NextActionScorer#addAll} fills
   * passes with many.
   */
  private final class Incremental implements IncrementalModel.State {
    private final int w;
    private EncodedSequence window = EncodedSequence.ofTokens("stream", new int[0]);
    private int n;
    private double max;
    private double sum;
    private int misses;

    Incremental(int w) {
      this.w = w;
    }

    NextActionScorer owner() {
      return NextActionScorer.this;
    }

    /** Keeps the last {@code w} events of the kept window plus the new event. */
    private void push(EncodedSequence with) {
      int m = with.length();
      window = m > w ? with.range(m - w, m) : with;
    }

    @Override
    public double add(EncodedSequence sequence, int i) {
      return addAll(List.of(new Step(this, sequence, i)))[0];
    }

    /** The kept window plus the new event: its last rows are the batch rows of the new event. */
    private EncodedSequence with(EncodedSequence sequence, int i) {
      EncodedSequence one = sequence.range(i, i + 1);
      if (config.fusion() && !one.attributes().layout().equals(config.attributes())) {
        throw new IllegalArgumentException(detector() + " reads attributes " + config.attributes().slotNames() + " "
            + config.attributes().valueNames() + "; the event has " + one.attributes().layout().slotNames() + " "
            + one.attributes().layout().valueNames());
      }
      if (!config.fusion()) {
        one = new EncodedSequence(one.key(), one.tokens(), one.gapBuckets(), one.categoryIds(), one.prices());
      }
      return window.append(one);
    }

    /** Takes the new event's NLL and miss ({@code event}) and, with boundaries, the end's. */
    private double complete(double[] event, double[] end) {
      n++;
      max = Math.max(max, event[0]);
      sum += event[0];
      misses += (int) event[1];
      if (end == null) {
        return aggregate(max, sum, misses, n);
      }
      return aggregate(Math.max(max, end[0]), sum + end[0], misses + (int) end[1], n + 1);
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public EncodedSequence recent(String key) {
      return new EncodedSequence(key, window.tokens(), window.gapBuckets(), window.categoryIds(), window.prices(),
          window.attributes());
    }

    @Override
    public void write(DataOutput out) throws IOException {
      out.writeInt(w);
      out.writeInt(n);
      out.writeDouble(max);
      out.writeDouble(sum);
      out.writeInt(misses);
      int kept = window.length();
      out.writeInt(kept);
      EncodedAttributes a = window.attributes();
      int slots = config.fusion() ? config.attributes().slots() : 0;
      int values = config.fusion() ? config.attributes().values() : 0;
      for (int i = 0; i < kept; i++) {
        out.writeInt(window.token(i));
        out.writeInt(window.gapBucket(i));
        out.writeInt(window.categoryId(i));
        out.writeDouble(window.price(i));
        for (int k = 0; k < slots; k++) {
          out.writeInt(a.id(i, k));
        }
        for (int k = 0; k < values; k++) {
          out.writeFloat(a.value(i, k));
        }
      }
    }

    @Override
    public long memoryBytes() {
      EncodedAttributes.Layout l = config.attributes();
      return 160 + (20L + (config.fusion() ? 4L * (l.slots() + l.values()) : 0)) * w + 4 * 16;
    }
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
    return tokenText(id);
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
    if (config.aggregate().equals("typicality") && e.nll().length > 0 && maxItems > 0) {
      out.add(typicality(e));
    }
    for (int i : idx.subList(0, Math.min(maxItems - out.size(), idx.size()))) {
      float[] alp = e.attributeLogProbs()[i];
      double p = Math.exp(-(e.nll()[i] - (alp == null ? 0 : attributeNll(alp, 0, alp.length))));
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
      if (alp != null) { // the attribute whose value surprised most, when it did
        int worst = 0;
        for (int k = 1; k < alp.length; k++) {
          worst = alp[k] < alp[worst] ? k : worst;
        }
        if (alp.length > 0 && alp[worst] <= -1) {
          int slot = config.attributes().stableSlots()[worst];
          r.append("; its ").append(config.attributes().slotNames().get(slot)).append(" has probability ")
              .append(FeatureStatistics.format(Math.exp(alp[worst]))).append(" (")
              .append(config.attributes().slotModalities().get(slot).text()).append(')');
        }
      }
      float[] att = e.attention()[i];
      if (att != null) { // the earlier event the prediction attended to most
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
        if (e.gates()[i] != null && best >= 0) {
          r.append("; ").append(modalities(seq, i, att, e.gates()[i]));
        }
      }
      out.add(new Contribution(name, p, Double.NaN, e.nll()[i], r.toString()));
    }
    return new Explanation(out);
  }

  /**
   * Which modalities the prediction of event {@code i} drew on: the gate weights of the window's
   * events, weighted by the attention on each, the two largest with the attributes the window
   * carried in them ("modalities weighed: behaviour 0.52 (action, gap), context 0.31 (user_agent)").
   */
  private String modalities(EncodedSequence seq, int i, float[] att, float[] gates) {
    int m = MODALITIES.size();
    double[] mix = new double[m];
    EncodedAttributes.Layout layout = config.attributes();
    @SuppressWarnings("unchecked")
    java.util.Set<String>[] names = new java.util.Set[m];
    for (int k = 0; k < m; k++) {
      names[k] = new java.util.LinkedHashSet<>();
    }
    names[Modality.BEHAVIOUR.ordinal()].add("action");
    names[Modality.BEHAVIOUR.ordinal()].add("gap");
    for (int j = 0; j < att.length; j++) {
      int at = i - att.length + j;
      if (at < 0) {
        continue;
      }
      for (int k = 0; k < m; k++) {
        mix[k] += att[j] * gates[j * m + k];
      }
      if (seq.categoryId(at) != 0) {
        names[Modality.ITEM.ordinal()].add("category");
      }
      if (!Double.isNaN(seq.price(at))) {
        names[Modality.ITEM.ordinal()].add("price");
      }
      EncodedAttributes a = seq.attributes();
      for (int k = 0; k < layout.slots(); k++) {
        if (a.id(at, k) != 0) {
          names[layout.slotModalities().get(k).ordinal()].add(layout.slotNames().get(k));
        }
      }
      for (int k = 0; k < layout.values(); k++) {
        if (a.value(at, k) != 0) {
          names[layout.valueModalities().get(k).ordinal()].add(layout.valueNames().get(k));
        }
      }
    }
    Integer[] order = new Integer[m];
    for (int k = 0; k < m; k++) {
      order[k] = k;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -mix[k]).thenComparingInt(k -> k));
    StringBuilder r = new StringBuilder("modalities weighed: ");
    for (int n = 0; n < 2; n++) {
      int k = order[n];
      r.append(n == 0 ? "" : ", ").append(MODALITIES.get(k).text()).append(' ').append(FeatureStatistics.format(mix[k]));
      if (!names[k].isEmpty()) {
        r.append(" (").append(String.join(", ", names[k])).append(')');
      }
    }
    return r.toString();
  }

  private Contribution typicality(Events e) {
    return typicality.reason(e.nll(), e.target(), this::text);
  }

  /** The {@code config.bin} contents: provenance, configuration and vocabulary. */
  public Parameters configFile() {
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, provenance());
    config.writeTo(b);
    b.put("tokens", tokens());
    return b.build();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s[%s %dx%d, window %d, vocabulary %d]", detector(), config.cell(),
        config.layers(), config.hidden(), config.window(), config.vocabulary());
  }
}
