package io.seqwatch.core.stream;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Observation;
import io.seqwatch.core.features.BehaviorAccumulator;
import io.seqwatch.spi.IncrementalModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link StreamingScorer} carries of one sequence between its events, in one of three forms
 * (the scorer's {@link StreamingScorer.Mode} picks one for all its sequences): running behaviour
 * features, the model's own incremental state, or the events themselves. Each form adds an event,
 * reports its size and heap cost, and writes itself for snapshots and keyed state; {@link
 * StreamingScorer.Mode} creates and reads them.
 *
 * <p>Thread-safety: not thread-safe; guarded by the monitor of the {@link SequenceState} holding it.
 */
sealed interface RunningState {
  /** Events in the sequence. */
  int size();

  /** Estimated heap bytes. */
  long memoryBytes();

  void write(DataOutputStream out) throws IOException;

  /** Adds {@code e} (past the late and duplicate checks) and returns its score or the model step that gives it. */
  StreamingScorer.Prepared add(StreamingScorer scorer, SequenceState s, BehaviorEvent e);

  /** Running behaviour features: O(1) per event. */
  record Features(BehaviorAccumulator accumulator) implements RunningState {
    @Override
    public int size() {
      return accumulator.size();
    }

    @Override
    public long memoryBytes() {
      return 16 + accumulator.memoryBytes();
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      accumulator.write(out);
    }

    @Override
    public StreamingScorer.Prepared add(StreamingScorer scorer, SequenceState s, BehaviorEvent e) {
      accumulator.add(e);
      Observation o = Observation.of(accumulator.features(s.sequenceKey(), scorer.behavior().orElseThrow().schema()));
      return new StreamingScorer.Prepared(s, e, s.sequenceKey(), null, scorer.model().score(o), accumulator.size(), o,
          null);
    }
  }

  /** The incremental model's carried state: one model step per event. */
  record Incremental(IncrementalModel.State state) implements RunningState {
    @Override
    public int size() {
      return state.size();
    }

    @Override
    public long memoryBytes() {
      return 16 + state.memoryBytes();
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      state.write(out);
    }

    @Override
    public StreamingScorer.Prepared add(StreamingScorer scorer, SequenceState s, BehaviorEvent e) {
      // the encoder needs the previous event's time for the gap bucket: a stand-in carries it
      List<BehaviorEvent> two = s.size() == 0 ? List.of(e)
          : List.of(BehaviorEvent.of(e.actorId(), s.processedUpTo, e.action(), "", ""), e);
      EncodedSequence one = scorer.encoder().orElseThrow().encode(new BehaviorSequence(s.sequenceKey(), two));
      IncrementalModel.Step step = new IncrementalModel.Step(state, one, one.length() - 1);
      return new StreamingScorer.Prepared(s, e, s.sequenceKey(), step, Double.NaN, state.size() + 1, null, null);
    }
  }

  /**
   * The sequence's events, re-scored as a whole on every event: O(length) per event, so at most the
   * scorer's {@code maxEventsPerSequence} most recent ones are kept (the oldest dropped, counted).
   */
  record Events(List<BehaviorEvent> events) implements RunningState {
    Events() {
      this(new ArrayList<>());
    }

    static Events read(DataInputStream in) throws IOException {
      int m = in.readInt();
      if (m < 0) {
        throw new IOException("negative event count " + m);
      }
      Events out = new Events();
      for (int k = 0; k < m; k++) {
        out.events.add(io.seqwatch.core.io.EventRecords.read(in));
      }
      return out;
    }

    @Override
    public int size() {
      return events.size();
    }

    @Override
    public long memoryBytes() {
      return 40 + 200L * events.size();
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      out.writeInt(events.size());
      for (BehaviorEvent e : events) {
        io.seqwatch.core.io.EventRecords.write(out, e);
      }
    }

    @Override
    public StreamingScorer.Prepared add(StreamingScorer scorer, SequenceState s, BehaviorEvent e) {
      if (events.size() >= scorer.maxEventsPerSequence()) { // a sliding window: the cost per event stays bounded
        events.remove(0);
        scorer.counters.trimmed.incrementAndGet();
      }
      events.add(e);
      Observation o = scorer.pipeline().observe(new BehaviorSequence(s.sequenceKey(), List.copyOf(events)));
      return new StreamingScorer.Prepared(s, e, s.sequenceKey(), null, scorer.model().score(o), events.size(), o, null);
    }
  }
}
