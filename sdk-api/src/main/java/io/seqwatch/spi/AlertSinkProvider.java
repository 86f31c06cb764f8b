package io.seqwatch.spi;

/**
 * Creates {@link AlertSink}s. Registered in {@code META-INF/services/io.seqwatch.spi.AlertSinkProvider}.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public interface AlertSinkProvider extends Provider {
  /** Creates a sink with validated options. */
  AlertSink create(Options options);
}
