package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;
import java.util.function.Consumer;

/**
 * A consumer of read events that keeps one copy of each distinct value itself (as {@link
 * io.seqwatch.core.prep.EventTable}'s dictionaries do): readers hand it events as parsed, without
 * first sharing their repeated values through {@link SharedValues}, which would be work for nothing.
 *
 * <p>Thread-safety: as the implementation says.
 */
public interface SharesValues extends Consumer<BehaviorEvent> {
  /** {@code events}, marked as keeping its own copy of each value. */
  static SharesValues of(Consumer<BehaviorEvent> events) {
    return events::accept;
  }
}
