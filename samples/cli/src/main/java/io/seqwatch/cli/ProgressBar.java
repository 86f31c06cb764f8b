package io.seqwatch.cli;

import io.seqwatch.spi.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on stderr: on a terminal a one-line bar redrawn in place with the rate and the
 * time left; elsewhere (a log file, a pipe, CI) no carriage returns, only one line when the work
 * ends, so logs stay readable.
 *
 * <p>Thread-safety: called from the training thread only.
 */
final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private boolean open;
  private String last = "";

  /** A bar that redraws only when the process has a terminal ({@link System#console()}). */
  ProgressBar(PrintWriter err, String label) {
    this(err, label, System.console() != null);
  }

  ProgressBar(PrintWriter err, String label, boolean terminal) {
    this.err = err;
    this.label = label;
    this.terminal = terminal;
  }

  @Override
  public void progress(int step, int total, String message) {
    double s = (System.nanoTime() - start) / 1e9;
    last = String.format(Locale.ROOT, "%s: %d/%d %s (%.1f s)", label, step, total, message, s);
    open = step < total;
    if (terminal) {
      int filled = total <= 0 ? WIDTH : (int) Math.round((double) step / total * WIDTH);
      String bar = "#".repeat(Math.max(0, Math.min(WIDTH, filled))) + " ".repeat(Math.max(0, WIDTH - filled));
      String eta = step > 0 && step < total ? String.format(Locale.ROOT, ", about %.0f s left", s / step * (total - step)) : "";
      err.printf(Locale.ROOT, "\r%s [%s] %d/%d %s (%.1f s%s)", label, bar, step, total, message, s, eta);
      if (!open) {
        err.println();
      }
    } else if (!open) {
      err.println(last);
    }
    err.flush();
  }

  /** Ends the line when training stopped before its last step (early stopping). */
  void finish() {
    if (open) {
      if (terminal) {
        err.println();
      } else {
        err.println(last + " (stopped early)");
      }
      err.flush();
      open = false;
    }
  }
}
