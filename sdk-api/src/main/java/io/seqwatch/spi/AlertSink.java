package io.seqwatch.spi;

/**
 * Delivers alerts to the platform (log, file, webhook, message bus). Only {@link #send} is
 * required, so a lambda is a sink: {@code AlertSink sink = alert -> queue.add(alert);}.
 *
 * <p>Delivery is at least once: a stream resumed from a snapshot raises the alerts since that
 * snapshot again, with the same {@link Alert#id()}; sinks pass the id on (a field, a header, a
 * message key) so that consumers can drop repeats.
 *
 * <p>Thread-safety: implementations must accept concurrent {@link #send} calls. {@link #close()}
 * flushes what is pending and is idempotent.
 */
@FunctionalInterface
public interface AlertSink extends AutoCloseable {
  /** Delivers or queues one alert. */
  void send(Alert alert);

  /**
   * Makes everything sent so far durable (written and synced to storage, or handed to a durable
   * queue), so that a snapshot taken next never claims alerts a crash could still lose. Streaming
   * calls it before every snapshot. The default does nothing (for sinks that deliver in {@code send}).
   */
  default void flush() {}

  /**
   * What this sink has delivered, failed, spilled and holds queued, read in O(1) without blocking
   * (a metrics registry polls it). Empty by default, for sinks that keep no counts.
   */
  default java.util.Optional<SinkStats> stats() {
    return java.util.Optional.empty();
  }

  /** Flushes and releases resources; idempotent. The default does nothing. */
  @Override
  default void close() {}
}
