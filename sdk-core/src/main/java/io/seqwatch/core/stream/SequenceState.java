package io.seqwatch.core.stream;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.prep.EventIdentity;
import io.seqwatch.core.prep.Grouping;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * One sequence's streaming state: its {@link RunningState}, the lateness buffer, the last score
 * and whether it is in an anomalous episode.
 *
 * <p>Ownership: every field is guarded by this object's monitor. An event is put into {@link
 * #pending} only while the state is in its scorer's map (under the map lock), so a state that has
 * been evicted never receives another event, and whoever evicts it releases what it holds. While a
 * batch ({@link StreamingScorer#acceptAll}) works through events it drained from this state, it
 * {@linkplain #owned owns} the state across monitor sections: eviction and flush then leave the
 * remaining buffered events to the batch, which releases them when it is done if the state was
 * evicted meanwhile. So no event is lost and a sequence's events are processed in one order.
 */
final class SequenceState {
  /** Buffered events: time, then source line, then arrival. */
  static final Comparator<Pending> ORDER = Comparator.comparingLong((Pending p) -> p.event().timestampMillis())
      .thenComparingLong(p -> p.event().line()).thenComparingLong(Pending::arrival);

  final String stateKey;
  RunningState state;
  /** The time of the current burst's first event (gap grouping; it names the sequence). */
  long burstStart;
  long processedUpTo = Long.MIN_VALUE;
  volatile long lastSeen;
  double score;
  boolean inEpisode;
  /** Whether a batch is processing events it drained from this state (see the class comment). */
  boolean owned;
  /** Set under the scorer's map lock when the state leaves the map; the evictor or the owner releases it. */
  volatile boolean evicted;
  final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
  final Set<EventIdentity> sameTime = new HashSet<>();
  final Grouping grouping;

  SequenceState(String stateKey, RunningState state, long firstSeen, Grouping grouping) {
    this.stateKey = stateKey;
    this.state = state;
    this.lastSeen = firstSeen;
    this.grouping = grouping;
  }

  /** The key batch scoring gives this sequence. */
  String sequenceKey() {
    return grouping.burstKey(stateKey, burstStart);
  }

  /** Events in the current sequence. */
  int size() {
    return state.size();
  }

  /** A new sequence after an inactivity gap, its first event at {@code start}. */
  void startBurst(RunningState fresh, long start) {
    burstStart = start;
    state = fresh;
    inEpisode = false;
    sameTime.clear();
  }

  /** Whether {@code e} repeats an event already processed at the same time (and remembers it if not). */
  boolean isDuplicate(BehaviorEvent e) {
    if (e.timestampMillis() != processedUpTo) {
      sameTime.clear();
    }
    return !sameTime.add(EventIdentity.of(e));
  }

  long memoryBytes() {
    // this object, its map entry and key, the lateness queue and the same-time set, then per element
    return 400 + 2L * stateKey.length() + 140L * pending.size() + 220L * sameTime.size() + state.memoryBytes();
  }

  /** An event waiting in the lateness buffer. */
  record Pending(BehaviorEvent event, long arrival) {}

}
