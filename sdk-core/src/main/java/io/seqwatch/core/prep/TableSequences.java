package io.seqwatch.core.prep;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The sequences of an {@link EventTable} as {@link Grouping#group(EventTable, int[])} forms them: each
 * {@link BehaviorSequence} is built from the table's rows when it is read (a new object each time),
 * and a reader that understands the columns can skip building it: {@link #rowCount}, {@link #row} and
 * {@link #key} give sequence {@code i}'s rows in time order and its key, {@link #table} the columns
 * (the behaviour features are computed this way, without an event object per row). {@link #subList}
 * is a list of the same kind.
 *
 * <p>Thread-safety: immutable; may be read concurrently (it keeps the table, which is no longer
 * written).
 */
public final class TableSequences extends AbstractList<BehaviorSequence> implements RandomAccess {
  private final EventTable table;
  private final Grouping.Index index;
  private final int from; // the first sequence of the index in this list
  private final int size;

  TableSequences(EventTable table, Grouping.Index index) {
    this(table, index, 0, index.count());
  }

  private TableSequences(EventTable table, Grouping.Index index, int from, int size) {
    this.table = table;
    this.index = index;
    this.from = from;
    this.size = size;
  }

  /** The table whose rows the sequences are. */
  public EventTable table() {
    return table;
  }

  /** The key of sequence {@code i}, as {@code get(i).key()} without building the sequence. */
  public String key(int i) {
    return index.key(table, from + Objects.checkIndex(i, size));
  }

  /** The number of events of sequence {@code i}, as {@code get(i).size()}. */
  public int rowCount(int i) {
    int g = from + Objects.checkIndex(i, size);
    return index.offsets[g + 1] - index.offsets[g];
  }

  /** The table row of the {@code k}-th event (time order) of sequence {@code i}. */
  public int row(int i, int k) {
    int g = from + Objects.checkIndex(i, size);
    return index.rows[index.offsets[g] + Objects.checkIndex(k, index.offsets[g + 1] - index.offsets[g])];
  }

  @Override
  public BehaviorSequence get(int i) {
    int g = from + Objects.checkIndex(i, size);
    int start = index.offsets[g];
    BehaviorEvent[] events = new BehaviorEvent[index.offsets[g + 1] - start];
    int actor = -1;
    String actorText = null;
    for (int k = 0; k < events.length; k++) {
      int row = index.rows[start + k];
      if (table.actor(row) != actor) { // the events of one actor share its id string
        actor = table.actor(row);
        actorText = table.keyText(actor);
      }
      events[k] = table.event(row, actorText);
    }
    return new BehaviorSequence(index.key(table, g), List.of(events));
  }

  @Override
  public int size() {
    return size;
  }

  /** The sequences {@code [fromIndex, toIndex)}, as a list of this kind. */
  @Override
  public TableSequences subList(int fromIndex, int toIndex) {
    Objects.checkFromToIndex(fromIndex, toIndex, size);
    return new TableSequences(table, index, from + fromIndex, toIndex - fromIndex);
  }
}
