package io.seqwatch.core.stream;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.features.BehaviorAccumulator;
import io.seqwatch.spi.IncrementalModel;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * One sequence's streaming state: its representation state (a {@link BehaviorAccumulator}, an
 * {@link IncrementalModel.State} or its events), the lateness buffer, the last score and whether
 * it is in an anomalous episode. Guarded by its own monitor.
 */
final class SequenceState {
  /** Buffered events: time, then source line, then arrival. */
  static final Comparator<Pending> ORDER = Comparator.comparingLong((Pending p) -> p.event().timestampMillis())
      .thenComparingLong(p -> p.event().line()).thenComparingLong(Pending::arrival);

  final String stateKey;
  Object state;
  int burst = 1;
  long processedUpTo = Long.MIN_VALUE;
  volatile long lastSeen;
  double score;
  boolean inEpisode;
  final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
  final Set<Identity> sameTime = new HashSet<>();
  final boolean gapGrouping;

  SequenceState(String stateKey, Object state, long firstSeen, boolean gapGrouping) {
    this.stateKey = stateKey;
    this.state = state;
    this.lastSeen = firstSeen;
    this.gapGrouping = gapGrouping;
  }

  /** The key batch scoring gives this sequence. */
  String sequenceKey() {
    return gapGrouping ? stateKey + "#" + burst : stateKey;
  }

  /** Events in the current sequence. */
  int size() {
    if (state instanceof BehaviorAccumulator a) {
      return a.size();
    }
    if (state instanceof IncrementalModel.State s) {
      return s.size();
    }
    return ((List<?>) state).size();
  }

  /** A new sequence after an inactivity gap. */
  void startBurst(Object fresh) {
    burst++;
    state = fresh;
    inEpisode = false;
    sameTime.clear();
  }

  /** Whether {@code e} repeats an event already processed at the same time (and remembers it if not). */
  boolean isDuplicate(BehaviorEvent e) {
    if (e.timestampMillis() != processedUpTo) {
      sameTime.clear();
    }
    return !sameTime.add(Identity.of(e));
  }

  long memoryBytes() {
    // this object, its map entry and key, the lateness queue and the same-time set, then per element
    long s = 400 + 2L * stateKey.length() + 140L * pending.size() + 220L * sameTime.size();
    if (state instanceof BehaviorAccumulator a) {
      return s + a.memoryBytes();
    }
    if (state instanceof IncrementalModel.State i) {
      return s + i.memoryBytes();
    }
    return s + 200L * ((List<?>) state).size();
  }

  /** An event waiting in the lateness buffer. */
  record Pending(BehaviorEvent event, long arrival) {}

  /** What makes two events exact duplicates (as the batch preprocessor decides). */
  record Identity(String actor, Optional<String> session, long ts, String action, Optional<String> item,
      Optional<String> category, OptionalDouble price) {
    static Identity of(BehaviorEvent e) {
      return new Identity(e.actorId(), e.sessionId(), e.timestampMillis(), e.action(), e.itemId(), e.categoryId(),
          e.price());
    }
  }
}
