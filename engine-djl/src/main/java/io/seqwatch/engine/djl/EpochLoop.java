package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/**
 * The one place where a DJL detector takes its training steps: per batch, a sub-manager for the
 * batch's arrays, the forward pass and loss inside a gradient collector, {@link DivergenceGuard}'s
 * check before the backward pass (a NaN never reaches the weights), the backward pass and the
 * optimiser step. The detectors supply only how a batch becomes a loss, and keep what differs
 * between them (shuffling, validation, early stopping, progress messages) around it. The GAN keeps
 * its own loop: each of its batches steps two trainers in turn.
 *
 * <p>Thread-safety: stateless; one training thread per trainer.
 */
final class EpochLoop {
  private EpochLoop() {}

  /** The loss of the batch of rows {@code from} to {@code from + n} of the epoch's order. */
  @FunctionalInterface
  interface BatchLoss {
    /**
     * @param trainer the trainer (its forward pass and loss)
     * @param batch a manager for this batch's arrays, closed after the step
     */
    NDArray loss(Trainer trainer, NDManager batch, int from, int n);
  }

  /**
   * One epoch over {@code rows} rows in batches of {@code batch}.
   *
   * @param epoch the epoch, from 0 (for the divergence message)
   * @return the mean batch loss, weighted by batch size (0 for no rows)
   * @throws DivergenceGuard.Diverged on a non-finite loss, before any update from that batch
   */
  static double run(Trainer trainer, int rows, int batch, int epoch, BatchLoss step) {
    double sum = 0;
    for (int from = 0; from < rows; from += batch) {
      int n = Math.min(batch, rows - from);
      try (NDManager bm = trainer.getManager().newSubManager()) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDArray loss = step.loss(trainer, bm, from, n);
          float value = loss.getFloat();
          DivergenceGuard.check(value, epoch + 1);
          gc.backward(loss);
          sum += value * n;
        }
        trainer.step();
      }
    }
    return rows == 0 ? 0 : sum / rows;
  }
}
