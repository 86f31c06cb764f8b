package io.seqwatch.cli;

import io.seqwatch.spi.TrainingListener;
import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr for training.
 *
 * <p>Thread-safety: called from the training thread only.
 */
final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final long start = System.nanoTime();
  private boolean open;

  ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public void progress(int step, int total, String message) {
    int filled = total <= 0 ? WIDTH : (int) Math.round((double) step / total * WIDTH);
    String bar = "#".repeat(Math.max(0, Math.min(WIDTH, filled))) + " ".repeat(Math.max(0, WIDTH - filled));
    double s = (System.nanoTime() - start) / 1e9;
    err.printf("\r%s [%s] %d/%d %s (%.1f s)", label, bar, step, total, message, s);
    open = step < total;
    if (!open) {
      err.println();
    }
    err.flush();
  }

  /** Ends the line when training stopped before its last step (early stopping). */
  void finish() {
    if (open) {
      err.println();
      err.flush();
      open = false;
    }
  }
}
