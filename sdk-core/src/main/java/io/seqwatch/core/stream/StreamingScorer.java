package io.seqwatch.core.stream;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.Observation;
import io.seqwatch.core.features.BehaviorAccumulator;
import io.seqwatch.core.features.BehaviorFeatureExtractor;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.IncrementalModel;
import io.seqwatch.spi.Model;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Scores a live event stream with a trained pipeline, one event at a time.
 *
 * <p>Per sequence (by the pipeline's grouping: actor, session, or actor and inactivity gap) it keeps
 * a bounded state and re-scores incrementally: with the {@code behavior} features a running {@link
 * BehaviorAccumulator} (O(1) per event) feeds the detector; with an {@link IncrementalModel}
 * (next-action models) the model's own carried state takes one step per event. Other
 * representations keep the sequence's events and re-score it (O(length) per event). After the same
 * events a sequence's streamed score equals its batch score: the code that computes both is the same.
 *
 * <p>Events may arrive out of order by up to {@code lateness}: each sequence buffers them and
 * releases them in time order once the stream's watermark (the latest timestamp seen minus the
 * lateness) has passed them; a sequence's buffered events are released by its next event, by {@link
 * #flush()}, or when it is evicted. An event older than what its sequence already processed is late:
 * it is counted and handed to the late-event listener, never silently dropped. Exact duplicates are
 * dropped as in training.
 *
 * <p>State is bounded: at most {@code maxActors} sequences, least recently used evicted first, and
 * sequences idle for {@code idleTtl} of event time are evicted too. An alert is raised once per
 * anomalous episode: when a sequence's score first crosses the threshold; it re-arms when the score
 * falls below it.
 *
 * <pre>{@code
 * try (FittedPipeline model = FittedPipeline.load(dir);
 *     StreamingScorer scorer = StreamingScorer.builder(model).maxActors(1_000_000).sink(sink).build()) {
 *   for (BehaviorEvent e : events) {
 *     scorer.accept(e);
 *   }
 *   scorer.flush();
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent {@link #accept} and {@link #acceptAll} calls; events of
 * one sequence must be offered by one thread at a time in arrival order (as a keyed stream does),
 * events of different sequences may come from any threads. Under any interleaving, with eviction
 * and lateness, no event is lost: an event enters a sequence's buffer only while the sequence is
 * held, and whoever evicts a sequence releases what it buffers (a batch that is working on it does
 * so when it is done); at a quiet moment {@code events = scored + late + duplicates + future + buffered}
 * ({@link #stats()}). {@link #snapshot} and {@link #restore} need a quiet stream.
 */
public final class StreamingScorer implements AutoCloseable {
  private final FittedPipeline pipeline;
  private final Model model;
  private final int maxActors;
  private final long idleTtlMs;
  private final long latenessMs;
  private final long futureHorizonMs;
  private final int maxEventsPerSequence;
  private final java.time.Clock clock;
  private final Optional<io.seqwatch.core.pipeline.SigningKey> signingKey;
  private final Optional<AlertSink> sink;
  private final Consumer<BehaviorEvent> late;
  private final Optional<ScoreListener> listener;
  private final Mode mode;
  private final Optional<BehaviorFeatureExtractor> behavior;
  private final Optional<FittedSequenceEncoder> encoder;
  /** How events become sequences: the pipeline's grouping, the one owner of the keying rules. */
  private final Grouping grouping;
  /** What identifies the pipeline in alert ids: detector and training time. */
  private final String alertSource;
  private final ReentrantLock mapLock = new ReentrantLock();
  private final LinkedHashMap<String, SequenceState> states = new LinkedHashMap<>(1024, 0.75f, true);
  private final AtomicLong maxTimestamp = new AtomicLong(Long.MIN_VALUE);
  private final StreamMetrics metrics = new StreamMetrics(this);
  private final AtomicLong arrivals = new AtomicLong();
  final Counters counters = new Counters();

  /** How a sequence's state is kept: which {@link RunningState} a scorer creates and reads. */
  enum Mode {
    /** running behaviour features */
    FEATURES {
      @Override
      RunningState fresh(StreamingScorer scorer) {
        return new RunningState.Features(scorer.behavior.orElseThrow().accumulator());
      }

      @Override
      RunningState read(StreamingScorer scorer, DataInputStream in) throws IOException {
        BehaviorFeatureExtractor x = scorer.behavior.orElseThrow();
        return new RunningState.Features(BehaviorAccumulator.read(in, x));
      }
    },
    /** the model's incremental state */
    INCREMENTAL {
      @Override
      RunningState fresh(StreamingScorer scorer) {
        return new RunningState.Incremental(((IncrementalModel) scorer.model).start());
      }

      @Override
      RunningState read(StreamingScorer scorer, DataInputStream in) throws IOException {
        return new RunningState.Incremental(((IncrementalModel) scorer.model).readState(in));
      }
    },
    /** the events, re-scored */
    EVENTS {
      @Override
      RunningState fresh(StreamingScorer scorer) {
        return new RunningState.Events();
      }

      @Override
      RunningState read(StreamingScorer scorer, DataInputStream in) throws IOException {
        return RunningState.Events.read(in);
      }
    };

    abstract RunningState fresh(StreamingScorer scorer);

    abstract RunningState read(StreamingScorer scorer, DataInputStream in) throws IOException;
  }

  /** Receives every score as it changes. Called on the thread that offered the event. */
  @FunctionalInterface
  public interface ScoreListener {
    void scored(String key, BehaviorEvent event, double score, boolean anomalous);
  }

  private StreamingScorer(Builder b) {
    if (b.pipeline.isTable()) {
      throw new io.seqwatch.api.ConfigurationException("this model was trained on a feature table (columns "
          + b.pipeline.tableColumns() + "); a stream of events needs a model trained on events");
    }
    this.pipeline = b.pipeline;
    this.model = pipeline.model();
    this.maxActors = b.maxActors;
    this.idleTtlMs = b.idleTtl.toMillis();
    this.latenessMs = b.lateness.toMillis();
    this.futureHorizonMs = b.futureHorizon.toMillis();
    this.maxEventsPerSequence = b.maxEventsPerSequence;
    this.clock = b.clock;
    this.signingKey = Optional.ofNullable(b.signingKey);
    this.sink = Optional.ofNullable(b.sink);
    this.late = b.late;
    this.listener = Optional.ofNullable(b.listener);
    this.behavior = pipeline.featureExtractor().filter(BehaviorFeatureExtractor.class::isInstance)
        .map(BehaviorFeatureExtractor.class::cast);
    this.encoder = pipeline.encoder();
    this.grouping = pipeline.grouping();
    this.alertSource = pipeline.provenance().detector() + "|" + pipeline.provenance().trainedAt();
    if (behavior.isPresent()) {
      mode = Mode.FEATURES;
    } else if (encoder.isPresent() && model instanceof IncrementalModel) {
      mode = Mode.INCREMENTAL;
    } else {
      mode = Mode.EVENTS;
    }
  }

  /** Settings for a scorer over {@code pipeline} (which the scorer does not close). */
  public static Builder builder(FittedPipeline pipeline) {
    return new Builder(pipeline);
  }

  /** How this scorer keeps a sequence: {@code features}, {@code incremental} or {@code events}. */
  public String stateKind() {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Offers one event; returns the alerts it raised (also sent to the sink).
   *
   * @throws NullPointerException for a null event
   */
  public List<Alert> accept(BehaviorEvent e) {
    long start = System.nanoTime();
    try {
      return acceptOne(e);
    } finally {
      counters.accepted.increment();
      counters.acceptNanos.add(System.nanoTime() - start);
    }
  }

  private List<Alert> acceptOne(BehaviorEvent e) {
    Objects.requireNonNull(e, "event");
    counters.events.incrementAndGet();
    List<Alert> alerts = new ArrayList<>();
    if (fromTheFuture(e)) {
      return alerts;
    }
    long watermark = maxTimestamp.accumulateAndGet(e.timestampMillis(), Math::max) - latenessMs;
    SequenceState s = bufferInto(e, alerts);
    if (s != null) {
      synchronized (s) {
        if (!s.owned) {
          release(s, watermark, alerts);
        }
      }
    }
    return alerts;
  }

  /**
   * Puts an event into its sequence's lateness buffer while the sequence is in the map (creating it
   * if new), then evicts other sequences over the bounds and releases what they held. Returns the
   * sequence, or null when the event was late.
   */
  private SequenceState bufferInto(BehaviorEvent e, List<Alert> alerts) {
    String stateKey = keyOf(e);
    List<SequenceState> evicted = new ArrayList<>();
    SequenceState s;
    boolean buffered;
    mapLock.lock();
    try {
      s = states.get(stateKey);
      if (s == null) {
        s = newSequence(stateKey, e.timestampMillis());
        states.put(stateKey, s);
      }
      synchronized (s) {
        buffered = buffer(s, e);
      }
      evict(s, evicted);
    } finally {
      mapLock.unlock();
    }
    for (SequenceState x : evicted) {
      releaseEvicted(x, alerts);
    }
    return buffered ? s : null;
  }

  /**
   * Whether {@code e} is stamped further ahead of the clock than the future horizon: then it is
   * counted, handed to the late-event listener and goes no further, so that one bad timestamp
   * cannot move the watermark and expire every held sequence.
   */
  private boolean fromTheFuture(BehaviorEvent e) {
    if (e.timestampMillis() - futureHorizonMs <= clock.millis()) {
      return false;
    }
    counters.future.incrementAndGet();
    late.accept(e);
    return true;
  }

  /** Puts an event in its sequence's lateness buffer, or hands it back as late. Under s's monitor. */
  private boolean buffer(SequenceState s, BehaviorEvent e) {
    if (e.timestampMillis() < s.processedUpTo) {
      counters.late.incrementAndGet();
      late.accept(e);
      return false;
    }
    s.lastSeen = Math.max(s.lastSeen, e.timestampMillis());
    s.pending.add(new SequenceState.Pending(e, arrivals.incrementAndGet()));
    counters.buffered.incrementAndGet();
    return true;
  }

  /**
   * Offers a batch of events, as a poll loop receives them; returns the alerts they raised (also sent
   * to the sink). Scores and alerts are {@link #accept}'s for the same events, with these
   * differences: all the batch's events are buffered before any is released, so events of one
   * sequence out of order within the batch are put in order rather than found late, and each
   * sequence the batch touched releases its buffered events up to the batch's watermark (not only
   * up to the watermark its own last event saw); alerts come in rounds (every sequence's first
   * released event, then every second one, ...), not in arrival order. With an {@link
   * IncrementalModel} each round is one model call, so the next-action models fill their forward
   * passes with many sequences' events: that is where the speed comes from.
   *
   * <p>Thread-safety: as {@link #accept}: events of one sequence from one thread at a time.
   *
   * @throws NullPointerException for a null event
   */
  public List<Alert> acceptAll(List<BehaviorEvent> events) {
    long start = System.nanoTime();
    try {
      return acceptBatch(events);
    } finally { // a batch counts as its events, each with the batch's mean time
      counters.accepted.add(events.size());
      counters.acceptNanos.add(System.nanoTime() - start);
    }
  }

  private List<Alert> acceptBatch(List<BehaviorEvent> events) {
    List<Alert> alerts = new ArrayList<>();
    Set<SequenceState> touched = new LinkedHashSet<>();
    for (BehaviorEvent e : events) {
      Objects.requireNonNull(e, "event");
      counters.events.incrementAndGet();
      if (fromTheFuture(e)) {
        continue;
      }
      maxTimestamp.accumulateAndGet(e.timestampMillis(), Math::max);
      SequenceState s = bufferInto(e, alerts);
      if (s != null) {
        touched.add(s);
      }
    }
    long watermark = maxTimestamp.get() - latenessMs;
    List<SequenceState> order = new ArrayList<>();
    List<List<BehaviorEvent>> released = new ArrayList<>();
    for (SequenceState s : touched) {
      synchronized (s) {
        if (!s.owned) { // an evictor that came first has released everything
          s.owned = true;
          order.add(s);
          released.add(drain(s, watermark));
        }
      }
    }
    try {
      // round k scores the k-th released event of every sequence: one model step per sequence per round
      int rounds = released.stream().mapToInt(List::size).max().orElse(0);
      for (int k = 0; k < rounds; k++) {
        List<Prepared> round = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
          if (k < released.get(i).size()) {
            SequenceState s = order.get(i);
            synchronized (s) {
              Prepared p = prepare(s, released.get(i).get(k));
              if (p.stopped() == null) {
                round.add(p);
              }
            }
          }
        }
        double[] scores = scores(round);
        for (int i = 0; i < round.size(); i++) {
          Prepared p = round.get(i);
          synchronized (p.s()) {
            finish(p, scores[i], alerts);
          }
        }
      }
    } finally {
      for (SequenceState s : order) {
        synchronized (s) {
          s.owned = false;
          if (s.evicted) { // evicted while this batch owned it: what it still buffers is released here
            release(s, Long.MAX_VALUE, alerts);
          }
        }
      }
    }
    return alerts;
  }

  /** The scores of a round of prepared events: the incremental model's steps in one call. */
  private double[] scores(List<Prepared> round) {
    double[] out = new double[round.size()];
    List<IncrementalModel.Step> steps = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      if (round.get(i).step() == null) {
        out[i] = round.get(i).score();
      } else {
        steps.add(round.get(i).step());
      }
    }
    if (!steps.isEmpty()) {
      double[] stepped = ((IncrementalModel) model).addAll(steps);
      for (int i = 0, j = 0; i < out.length; i++) {
        if (round.get(i).step() != null) {
          out[i] = stepped[j++];
        }
      }
    }
    return out;
  }

  /** Releases everything an evicted sequence buffers, unless a batch owns it (the batch then does). */
  private void releaseEvicted(SequenceState x, List<Alert> alerts) {
    synchronized (x) {
      if (!x.owned) {
        release(x, Long.MAX_VALUE, alerts);
      }
    }
  }

  /**
   * Releases every buffered event (end of stream or a quiet moment); returns the alerts raised. A
   * sequence a concurrent {@link #acceptAll} is working on keeps its events beyond that batch's
   * watermark buffered ({@link StreamStats#buffered}).
   */
  public List<Alert> flush() {
    List<SequenceState> all;
    mapLock.lock();
    try {
      all = new ArrayList<>(states.values());
    } finally {
      mapLock.unlock();
    }
    List<Alert> alerts = new ArrayList<>();
    for (SequenceState s : all) {
      synchronized (s) {
        if (!s.owned) { // a batch working on s releases what it drained; the rest waits for s's next event
          release(s, Long.MAX_VALUE, alerts);
        }
      }
    }
    return alerts;
  }

  /** The current score of a sequence (by its key as batch scoring names it), if it is held. */
  public OptionalDouble score(String sequenceKey) {
    mapLock.lock();
    try {
      for (SequenceState s : states.values()) {
        synchronized (s) {
          if (s.size() > 0 && s.sequenceKey().equals(sequenceKey)) {
            return OptionalDouble.of(s.score);
          }
        }
      }
      return OptionalDouble.empty();
    } finally {
      mapLock.unlock();
    }
  }

  /** The current scores of every held sequence, by sequence key. */
  public Map<String, Double> scores() {
    Map<String, Double> out = new LinkedHashMap<>();
    mapLock.lock();
    try {
      for (SequenceState s : states.values()) {
        synchronized (s) {
          if (s.size() > 0) {
            out.put(s.sequenceKey(), s.score);
          }
        }
      }
    } finally {
      mapLock.unlock();
    }
    return out;
  }

  /** Counters and the state held now, with its estimated heap bytes per sequence. */
  /**
   * Live readings for a metrics registry: every read is O(1) and lock-free except {@link
   * StreamMetrics#sequences()} (the map lock, briefly), unlike {@link #stats()}, which walks every
   * held sequence to estimate its memory.
   */
  public StreamMetrics metrics() {
    return metrics;
  }

  public StreamStats stats() {
    long bytes = 0;
    int n;
    mapLock.lock();
    try {
      n = states.size();
      for (SequenceState s : states.values()) {
        synchronized (s) {
          bytes += s.memoryBytes();
        }
      }
    } finally {
      mapLock.unlock();
    }
    return new StreamStats(counters.events.get(), counters.scored.get(), counters.late.get(),
        counters.duplicates.get(), counters.future.get(), counters.buffered.get(), counters.trimmed.get(),
        counters.alerts.get(), n, counters.evicted.get(),
        n == 0 ? 0 : bytes / n);
  }

  /** Writes every held sequence and the counters to {@code file} (atomically replaced). */
  public void snapshot(Path file) throws IOException {
    snapshot(file, Map.of());
  }

  /**
   * Writes every held sequence, the counters and the caller's {@code attributes} (for example how
   * far into its input it has read, to resume there) to {@code file}, atomically replaced. The
   * sink is {@linkplain AlertSink#flush() flushed} first, so a snapshot never claims alerts a
   * crash could still lose.
   */
  public void snapshot(Path file, Map<String, String> attributes) throws IOException {
    sink.ifPresent(AlertSink::flush);
    mapLock.lock();
    try {
      StreamSnapshot.write(this, file, new ArrayList<>(states.values()), maxTimestamp.get(), arrivals.get(),
          attributes);
    } finally {
      mapLock.unlock();
    }
  }

  /**
   * Replaces the held state by a snapshot written by a scorer of the same pipeline; returns the
   * attributes it was written with (empty for none).
   *
   * @throws io.seqwatch.api.ModelFormatException when the file is corrupt or of another pipeline
   */
  public Map<String, String> restore(Path file) throws IOException {
    StreamSnapshot.Restored r = StreamSnapshot.read(this, file);
    mapLock.lock();
    try {
      states.clear();
      long buffered = 0;
      for (SequenceState s : r.states()) {
        states.put(s.stateKey, s);
        buffered += s.pending.size();
      }
      counters.buffered.set(buffered);
      maxTimestamp.set(r.maxTimestamp());
      arrivals.set(r.arrivals());
    } finally {
      mapLock.unlock();
    }
    return r.attributes();
  }

  /** Closes the sink, if any (the pipeline stays open: its owner closes it). */
  @Override
  public void close() {
    sink.ifPresent(AlertSink::close);
  }

  // ---------------------------------------------------------------------------------------------

  FittedPipeline pipeline() {
    return pipeline;
  }

  Mode mode() {
    return mode;
  }

  Model model() {
    return model;
  }

  int maxEventsPerSequence() {
    return maxEventsPerSequence;
  }

  Optional<BehaviorFeatureExtractor> behavior() {
    return behavior;
  }

  Optional<FittedSequenceEncoder> encoder() {
    return encoder;
  }

  Optional<io.seqwatch.core.pipeline.SigningKey> signingKey() {
    return signingKey;
  }

  /** The state key an event belongs to: its session or its actor (with gap grouping the burst is in the state). */
  String keyOf(BehaviorEvent e) {
    return grouping.streamKey(e);
  }

  /**
   * Evicts least recently used sequences over the bound and sequences idle past the TTL, never
   * {@code keep} (the sequence an event was just buffered in). Under mapLock.
   */
  private void evict(SequenceState keep, List<SequenceState> out) {
    long horizon = idleTtlMs > 0 ? maxTimestamp.get() - idleTtlMs : Long.MIN_VALUE;
    Iterator<SequenceState> it = states.values().iterator();
    while (it.hasNext()) {
      SequenceState eldest = it.next();
      if (states.size() <= maxActors && eldest.lastSeen >= horizon) {
        break;
      }
      if (eldest == keep) {
        continue;
      }
      it.remove();
      eldest.evicted = true;
      out.add(eldest);
      counters.evicted.incrementAndGet();
    }
  }

  /** Processes buffered events of {@code s} up to {@code watermark}, in time (then line) order. */
  private void release(SequenceState s, long watermark, List<Alert> alerts) {
    for (BehaviorEvent e : drain(s, watermark)) {
      process(s, e, alerts);
    }
  }

  /** Takes the buffered events of {@code s} up to {@code watermark} out of its buffer, in release order. */
  private List<BehaviorEvent> drain(SequenceState s, long watermark) {
    List<BehaviorEvent> out = new ArrayList<>();
    while (!s.pending.isEmpty() && s.pending.peek().event().timestampMillis() <= watermark) {
      out.add(s.pending.poll().event());
    }
    counters.buffered.addAndGet(-out.size());
    return out;
  }

  /** A new, empty sequence state for {@code key}. */
  SequenceState newSequence(String key, long firstSeen) {
    return new SequenceState(key, mode.fresh(this), firstSeen, grouping);
  }

  /** The largest event time accepted so far, or {@link Long#MIN_VALUE} before the first event. */
  long maxEventTime() {
    return maxTimestamp.get();
  }

  /** Sequences held now (under the map lock, O(1)). */
  int held() {
    mapLock.lock();
    try {
      return states.size();
    } finally {
      mapLock.unlock();
    }
  }

  java.time.Clock clock() {
    return clock;
  }

  /** What became of one processed event. */
  enum Outcome {
    LATE, DUPLICATE, NORMAL, ANOMALOUS
  }

  /** Processes one event on a caller-held state (no buffering). */
  Outcome processOne(SequenceState s, BehaviorEvent e, List<Alert> alerts) {
    counters.events.incrementAndGet();
    return process(s, e, alerts);
  }

  private Outcome process(SequenceState s, BehaviorEvent e, List<Alert> alerts) {
    Prepared p = prepare(s, e);
    if (p.stopped() != null) {
      return p.stopped();
    }
    IncrementalModel.Step step = p.step();
    double score = step == null ? p.score()
        : step.state().add(step.sequence(), step.index());
    return finish(p, score, alerts);
  }

  /**
   * An event past the late and duplicate checks: its sequence key, and either its score (features,
   * events) or the model step that will give it (incremental). {@code stopped} says why an event
   * went no further.
   */
  record Prepared(SequenceState s, BehaviorEvent e, String key, IncrementalModel.Step step, double score,
      int size, Observation explainOn, Outcome stopped) {
    static Prepared stopped(Outcome why) {
      return new Prepared(null, null, null, null, Double.NaN, 0, null, why);
    }
  }

  /** Everything of processing one event that comes before the incremental model's step. Under s's monitor. */
  private Prepared prepare(SequenceState s, BehaviorEvent e) {
    if (e.timestampMillis() < s.processedUpTo) { // overtaken inside the lateness buffer
      counters.late.incrementAndGet();
      late.accept(e);
      return Prepared.stopped(Outcome.LATE);
    }
    if (pipeline.dropsDuplicates() && s.isDuplicate(e)) {
      counters.duplicates.incrementAndGet();
      return Prepared.stopped(Outcome.DUPLICATE);
    }
    if (s.size() == 0) {
      s.burstStart = e.timestampMillis();
    } else if (grouping.breaksBurst(s.processedUpTo, e.timestampMillis())) {
      s.startBurst(mode.fresh(this), e.timestampMillis());
    }
    Prepared p = s.state.add(this, s, e);
    s.processedUpTo = e.timestampMillis();
    return p;
  }

  /** Everything of processing one event that comes after its score: threshold, episode, alert. Under s's monitor. */
  private Outcome finish(Prepared p, double score, List<Alert> alerts) {
    SequenceState s = p.s();
    s.score = score;
    counters.scored.incrementAndGet();
    boolean anomalous = pipeline.isAnomalous(p.key(), p.size(), score);
    listener.ifPresent(l -> l.scored(p.key(), p.e(), score, anomalous));
    if (anomalous && !s.inEpisode) {
      Observation explainOn = p.explainOn() != null ? p.explainOn()
          : Observation.of(p.step().state().recent(p.key()));
      Explanation why = pipeline.explain(explainOn, true);
      Instant at = Instant.ofEpochMilli(p.e().timestampMillis());
      Alert a = new Alert(p.key(), model.detector(), score, pipeline.threshold().value(), why, at,
          Alert.idOf(alertSource, p.key(), at));
      counters.alerts.incrementAndGet();
      alerts.add(a);
      sink.ifPresent(k -> k.send(a));
    }
    s.inEpisode = anomalous;
    return anomalous ? Outcome.ANOMALOUS : Outcome.NORMAL;
  }

  /** Event counters. Thread-safe. */
  static final class Counters {
    final AtomicLong events = new AtomicLong();
    final AtomicLong scored = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    /** events dropped from the front of kept-event sequences over maxEventsPerSequence */
    final AtomicLong trimmed = new AtomicLong();
    /** events stamped beyond the future horizon */
    final AtomicLong future = new AtomicLong();
    /** events in lateness buffers now */
    final AtomicLong buffered = new AtomicLong();
    final AtomicLong alerts = new AtomicLong();
    final AtomicLong evicted = new AtomicLong();
    /** events through accept / acceptAll, and the nanoseconds they took */
    final java.util.concurrent.atomic.LongAdder accepted = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder acceptNanos = new java.util.concurrent.atomic.LongAdder();
  }

  /** Settings; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final FittedPipeline pipeline;
    private int maxActors = 1_000_000;
    private Duration idleTtl = Duration.ofHours(24);
    private Duration lateness = Duration.ZERO;
    private Duration futureHorizon = Duration.ofDays(1);
    private int maxEventsPerSequence = 2_000;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private io.seqwatch.core.pipeline.SigningKey signingKey;
    private AlertSink sink;
    private Consumer<BehaviorEvent> late = e -> { };
    private ScoreListener listener;

    private Builder(FittedPipeline pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /** The most sequences held at once (default 1,000,000); the least recently used go first. */
    public Builder maxActors(int n) {
      if (n < 1) {
        throw new ConfigurationException("maxActors must be at least 1: " + n);
      }
      this.maxActors = n;
      return this;
    }

    /** Sequences without events for this long (event time) are dropped (default 24 h; zero: never). */
    public Builder idleTtl(Duration ttl) {
      if (ttl.isNegative()) {
        throw new ConfigurationException("idleTtl must not be negative: " + ttl);
      }
      this.idleTtl = ttl;
      return this;
    }

    /** How far out of order events may arrive (default zero: in order per sequence). */
    public Builder lateness(Duration lateness) {
      if (lateness.isNegative()) {
        throw new ConfigurationException("lateness must not be negative: " + lateness);
      }
      this.lateness = lateness;
      return this;
    }

    /**
     * Events stamped more than this ahead of the clock are refused as from the future: counted
     * ({@link StreamStats#future}), handed to the late-event listener, never scored, and they do
     * not move the watermark (default one day; one event stamped 2099 would otherwise expire every
     * held sequence). A replay of past traffic is never affected.
     */
    public Builder futureHorizon(Duration horizon) {
      if (horizon.isNegative()) {
        throw new ConfigurationException("futureHorizon must not be negative: " + horizon);
      }
      this.futureHorizon = horizon;
      return this;
    }

    /**
     * Signs snapshots with this key (HMAC-SHA256) and restores only snapshots signed with it: an
     * edited snapshot is refused even with its checksum recomputed.
     */
    public Builder signingKey(io.seqwatch.core.pipeline.SigningKey key) {
      this.signingKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * For detectors that re-score a sequence's kept events (state kind {@code events}), the most
     * recent events kept per sequence (default 2,000): older ones are dropped and counted ({@link
     * StreamStats#trimmed}), so an endless session costs a bounded time per event. A sequence
     * within the bound scores as in batch.
     */
    public Builder maxEventsPerSequence(int n) {
      if (n < 1) {
        throw new ConfigurationException("maxEventsPerSequence must be at least 1: " + n);
      }
      this.maxEventsPerSequence = n;
      return this;
    }

    /** The clock the future horizon is measured from (default the system clock in UTC). */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where alerts go besides the return value of {@link #accept}; closed with the scorer. */
    public Builder sink(AlertSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Receives events that arrived later than the lateness allows, and those refused as from the future. */
    public Builder lateEvents(Consumer<BehaviorEvent> late) {
      this.late = Objects.requireNonNull(late, "late");
      return this;
    }

    /** Receives every score. */
    public Builder scoreListener(ScoreListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public StreamingScorer build() {
      return new StreamingScorer(this);
    }
  }
}
