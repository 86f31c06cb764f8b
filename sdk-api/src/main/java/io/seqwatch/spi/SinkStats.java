package io.seqwatch.spi;

/**
 * What an {@link AlertSink} has done with the alerts sent to it, for metrics and health checks.
 *
 * @param delivered alerts delivered (written, acknowledged, accepted by the endpoint)
 * @param failed delivery attempts that failed for good (refused, out of retries, a failed write)
 * @param spilled alerts kept aside for a later run (a spill file) instead of delivered now
 * @param queued alerts waiting in memory for delivery now (the backlog)
 *     <p>Thread-safety: immutable.
 */
public record SinkStats(long delivered, long failed, long spilled, long queued) {
  public SinkStats {
    if (delivered < 0 || failed < 0 || spilled < 0 || queued < 0) {
      throw new IllegalArgumentException("sink counts must not be negative: " + delivered + ", " + failed + ", "
          + spilled + ", " + queued);
    }
  }
}
