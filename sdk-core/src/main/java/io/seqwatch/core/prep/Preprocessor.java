package io.seqwatch.core.prep;

import io.seqwatch.api.BehaviorEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cleans events: drops exact duplicates (optional), orders events by actor time, counts missing
 * values. Missing item or category ids are kept as absent: feature extractors count them as their
 * own value and encoders map them to bucket 0, so no record is lost to imputation.
 *
 * <p>Thread-safety: immutable; {@link #apply} may run concurrently.
 */
public final class Preprocessor {
  private final boolean dropDuplicates;

  private Preprocessor(boolean dropDuplicates) {
    this.dropDuplicates = dropDuplicates;
  }

  /** Drops exact duplicates and orders by time. */
  public static Preprocessor standard() {
    return new Preprocessor(true);
  }

  /** Orders by time but keeps duplicates (for sources where repeats are meaningful, like tokens). */
  public static Preprocessor keepDuplicates() {
    return new Preprocessor(false);
  }

  /** Whether exact duplicates are dropped. */
  public boolean dropsDuplicates() {
    return dropDuplicates;
  }

  /**
   * Cleans {@code events}; the result is ordered by (time, source line), stable for ties. Of exact
   * duplicates ({@link EventIdentity}) the first in {@code events} is kept.
   *
   * @param events events in any order
   * @param report receives what changed
   */
  public List<BehaviorEvent> apply(List<BehaviorEvent> events, java.util.function.Consumer<PreprocessReport> report) {
    Objects.requireNonNull(events, "events");
    int[] order = order(EventTable.of(events), report);
    List<BehaviorEvent> out = new ArrayList<>(order.length);
    for (int i : order) {
      out.add(events.get(i));
    }
    return out;
  }

  /**
   * Cleans the table's events without moving them: the rows to keep, ordered by (time, source line),
   * ties in row order. Of exact duplicates ({@link EventIdentity}) the first row is kept. Sorts row
   * numbers (one {@code int} per event); duplicates are found among the events of equal time.
   *
   * @param report receives what changed
   */
  public int[] order(EventTable table, java.util.function.Consumer<PreprocessReport> report) {
    int n = table.size();
    int[] sorted = RowSort.byTimeThenLine(table);
    long[] dropped = new long[(n + 63) >>> 6];
    long dups = 0;
    if (dropDuplicates) {
      int[][] slots = {new int[16]}; // one table for every group of equal times, cleared per group
      for (int s = 0; s < n; ) {
        int e = s + 1;
        long t = table.time(sorted[s]);
        while (e < n && table.time(sorted[e]) == t) {
          e++;
        }
        if (e - s > 1) {
          dups += dropDuplicates(table, sorted, s, e, dropped, slots);
        }
        s = e;
      }
    }
    long[] latest = new long[table.keyCount()]; // actor -> latest time so far, in row order
    java.util.Arrays.fill(latest, Long.MIN_VALUE);
    long outOfOrder = 0;
    long missingCategory = 0;
    long missingItem = 0;
    for (int i = 0; i < n; i++) {
      if ((dropped[i >>> 6] & (1L << i)) != 0) {
        continue;
      }
      int a = table.actor(i);
      long t = table.time(i);
      if (t < latest[a]) {
        outOfOrder++;
      } else {
        latest[a] = t;
      }
      if (!table.hasCategory(i)) {
        missingCategory++;
      }
      if (!table.hasItem(i)) {
        missingItem++;
      }
    }
    int[] kept = dups == 0 ? sorted : new int[(int) (n - dups)];
    if (dups > 0) {
      int k = 0;
      for (int i : sorted) {
        if ((dropped[i >>> 6] & (1L << i)) == 0) {
          kept[k++] = i;
        }
      }
    }
    report.accept(new PreprocessReport(n, kept.length, dups, outOfOrder, missingCategory, missingItem));
    return kept;
  }

  /**
   * Marks the duplicates among {@code sorted[from, to)} (events of one timestamp), keeping the lowest
   * row of each identity; returns how many were marked. {@code tableOfSlots[0]} is the hash table to use,
   * replaced by a larger one when it is too small.
   */
  private static long dropDuplicates(EventTable table, int[] sorted, int from, int to, long[] dropped,
      int[][] tableOfSlots) {
    int n = to - from;
    int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    if (tableOfSlots[0].length < cap) {
      tableOfSlots[0] = new int[cap];
    }
    int[] slots = tableOfSlots[0]; // position in sorted + 1 of the kept row of each identity seen
    java.util.Arrays.fill(slots, 0, cap, 0);
    long count = 0;
    for (int p = from; p < to; p++) {
      int row = sorted[p];
      int h = (int) table.identityHash(row) & (cap - 1);
      boolean dup = false;
      for (int s = slots[h]; s != 0; s = slots[h]) {
        int keptRow = sorted[s - 1];
        if (table.sameIdentity(keptRow, row)) {
          int drop = Math.max(keptRow, row);
          dropped[drop >>> 6] |= 1L << drop;
          if (row < keptRow) {
            slots[h] = p + 1;
          }
          dup = true;
          count++;
          break;
        }
        h = (h + 1) & (cap - 1);
      }
      if (!dup) {
        slots[h] = p + 1;
      }
    }
    return count;
  }

  /** Cleans {@code events}, discarding the report. */
  public List<BehaviorEvent> apply(List<BehaviorEvent> events) {
    return apply(events, r -> {});
  }
}
