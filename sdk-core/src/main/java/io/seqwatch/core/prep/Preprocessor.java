package io.seqwatch.core.prep;

import io.seqwatch.api.BehaviorEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

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

  /** Time, then source line (one comparison each, no chained key extractors: the sort is a hot loop). */
  private static final Comparator<BehaviorEvent> TIME_THEN_LINE = (a, b) -> {
    int c = Long.compare(a.timestampMillis(), b.timestampMillis());
    return c != 0 ? c : Long.compare(a.line(), b.line());
  };

  /**
   * Cleans {@code events}; the result is ordered by (time, source line), stable for ties.
   *
   * @param events events in any order
   * @param report receives what changed
   */
  public List<BehaviorEvent> apply(List<BehaviorEvent> events, java.util.function.Consumer<PreprocessReport> report) {
    Objects.requireNonNull(events, "events");
    List<BehaviorEvent> out = new ArrayList<>(events.size());
    Set<EventIdentity> seen = dropDuplicates ? new HashSet<>(events.size() * 2) : Set.of();
    Map<String, long[]> lastTime = new HashMap<>(); // actor -> {latest time so far}: one lookup, no boxing
    long dups = 0;
    long outOfOrder = 0;
    long missingCategory = 0;
    long missingItem = 0;
    for (BehaviorEvent e : events) {
      if (dropDuplicates
          && !seen.add(EventIdentity.of(e))) {
        dups++;
        continue;
      }
      long[] last = lastTime.get(e.actorId());
      if (last == null) {
        lastTime.put(e.actorId(), new long[] {e.timestampMillis()});
      } else if (e.timestampMillis() < last[0]) {
        outOfOrder++;
      } else {
        last[0] = e.timestampMillis();
      }
      if (e.categoryId().isEmpty()) {
        missingCategory++;
      }
      if (e.itemId().isEmpty()) {
        missingItem++;
      }
      out.add(e);
    }
    out.sort(TIME_THEN_LINE);
    report.accept(new PreprocessReport(events.size(), out.size(), dups, outOfOrder, missingCategory,
        missingItem));
    return out;
  }

  /** Cleans {@code events}, discarding the report. */
  public List<BehaviorEvent> apply(List<BehaviorEvent> events) {
    return apply(events, r -> {});
  }
}
