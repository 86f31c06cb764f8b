package io.seqwatch.spi;

/**
 * Receives training progress so a CLI can draw a progress bar and a service can log it.
 *
 * <p>Thread-safety: called from the training thread; implementations must not block for long.
 */
@FunctionalInterface
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = (step, total, message) -> {};

  /**
   * Progress of one training.
   *
   * @param step steps done (trees grown, epochs finished, ...)
   * @param total steps in all
   * @param message short status such as {@code "loss 0.31, 12,000 events/s"}
   */
  void progress(int step, int total, String message);
}
