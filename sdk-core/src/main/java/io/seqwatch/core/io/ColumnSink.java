package io.seqwatch.core.io;

import io.seqwatch.core.prep.EventTable;

/**
 * A consumer of read events that ends in a column store ({@link EventTable}): a reader with a fast
 * path adds a plain record straight to {@link #table()} without making an event, and hands every
 * other event to {@link #accept} as usual. {@code EventTable} is one; a wrapper that counts or
 * watches the events it passes on must not claim to be one unless it may miss the rows added
 * directly (it can read them off the table).
 *
 * <p>Thread-safety: as the implementation says.
 */
public interface ColumnSink extends SharesValues {
  /** The column store rows are added to. */
  EventTable table();

  /** A sink that adds to {@code table} directly and passes every other event to {@code events} (which must end in {@code table}). */
  static ColumnSink of(EventTable table, java.util.function.Consumer<io.seqwatch.api.BehaviorEvent> events) {
    java.util.Objects.requireNonNull(table, "table");
    java.util.Objects.requireNonNull(events, "events");
    return new ColumnSink() {
      @Override
      public EventTable table() {
        return table;
      }

      @Override
      public void accept(io.seqwatch.api.BehaviorEvent e) {
        events.accept(e);
      }
    };
  }
}
