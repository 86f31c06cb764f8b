package io.seqwatch.core.stream;

import java.util.concurrent.TimeUnit;

/**
 * Live counters of one {@link StreamingScorer}, for a metrics registry (Micrometer's {@code
 * seqwatch-micrometer} binder polls them): each read is O(1) and never walks the held sequences.
 * The counts are the same as {@link StreamStats}'s, read one at a time rather than as one snapshot.
 *
 * <p>Thread-safety: safe from any thread while the scorer runs.
 */
public final class StreamMetrics {
  private final StreamingScorer scorer;

  StreamMetrics(StreamingScorer scorer) {
    this.scorer = scorer;
  }

  /** Events offered. */
  public long events() {
    return scorer.counters.events.get();
  }

  /** Events scored. */
  public long scored() {
    return scorer.counters.scored.get();
  }

  /** Events older than their sequence's processed events. */
  public long late() {
    return scorer.counters.late.get();
  }

  /** Exact duplicates dropped. */
  public long duplicates() {
    return scorer.counters.duplicates.get();
  }

  /** Events stamped beyond the future horizon. */
  public long future() {
    return scorer.counters.future.get();
  }

  /** Events in lateness buffers now. */
  public long buffered() {
    return scorer.counters.buffered.get();
  }

  /** Alerts raised. */
  public long alerts() {
    return scorer.counters.alerts.get();
  }

  /** Sequences evicted (over the bound or idle). */
  public long evicted() {
    return scorer.counters.evicted.get();
  }

  /** Sequences held now. */
  public int sequences() {
    return scorer.held();
  }

  /** Events that went through {@code accept} or {@code acceptAll}. */
  public long accepted() {
    return scorer.counters.accepted.sum();
  }

  /** Total time spent in {@code accept} / {@code acceptAll}, in {@code unit}. */
  public double acceptTime(TimeUnit unit) {
    return scorer.counters.acceptNanos.sum() / (double) unit.toNanos(1);
  }

  /**
   * How far event time trails the scorer's clock: now minus the newest event time accepted, in
   * milliseconds (0 before the first event). A growing lag means the stream falls behind its source.
   */
  public long eventTimeLagMillis() {
    long newest = scorer.maxEventTime();
    return newest == Long.MIN_VALUE ? 0 : Math.max(0, scorer.clock().millis() - newest);
  }

  /** The detector of the scorer's pipeline (a tag for alert counts). */
  public String detector() {
    return scorer.pipeline().provenance().detector();
  }
}
