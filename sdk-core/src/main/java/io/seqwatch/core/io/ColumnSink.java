package io.seqwatch.core.io;

import io.seqwatch.core.prep.EventTable;

/**
 * A consumer of read events that ends in a column store ({@link EventTable}): a reader with a fast
 * path adds a plain record straight to {@link #table()} without making an event, then calls {@link
 * #added()}; every other event comes to {@link #accept} as usual. {@code EventTable} is one, a
 * {@link io.seqwatch.core.pipeline.PartitionedScorer}'s input another (its table is a buffer once it
 * spills); a wrapper that counts rows counts in both {@code added} and {@code accept}.
 *
 * <p>Thread-safety: as the implementation says.
 */
public interface ColumnSink extends SharesValues {
  /** The column store the next row is added to (asked for each row: a sink may swap it). */
  EventTable table();

  /** Told after a reader added a row to {@link #table()} directly. */
  default void added() {}
}
