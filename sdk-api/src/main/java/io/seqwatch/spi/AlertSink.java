package io.seqwatch.spi;

/**
 * Delivers alerts to the platform (log, file, webhook, message bus).
 *
 * <p>Thread-safety: implementations must accept concurrent {@link #send} calls. {@link #close()}
 * flushes what is pending and is idempotent.
 */
public interface AlertSink extends AutoCloseable {
  /** Delivers or queues one alert. */
  void send(Alert alert);

  /** Flushes and releases resources; idempotent. */
  @Override
  void close();
}
