package io.seqwatch.api;

import java.util.List;
import java.util.Objects;

/**
 * The ordered events of one actor, session or activity burst: the unit that is scored.
 *
 * @param key actor id, session id or line number, depending on how events were grouped
 * @param events events in time order; never empty
 *     <p>Thread-safety: immutable.
 */
public record BehaviorSequence(String key, List<BehaviorEvent> events) {
  public BehaviorSequence {
    Objects.requireNonNull(key, "key");
    events = List.copyOf(events);
    if (events.isEmpty()) {
      throw new IllegalArgumentException("sequence '" + key + "' has no events");
    }
  }

  /** Number of events. */
  public int size() {
    return events.size();
  }

  /** Actor id of the first event. */
  public String actorId() {
    return events.get(0).actorId();
  }

  /** Duration from the first to the last event in milliseconds. */
  public long durationMillis() {
    return events.get(events.size() - 1).timestampMillis() - events.get(0).timestampMillis();
  }
}
