package io.seqwatch.cli;

import io.seqwatch.spi.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr (training epochs, bytes of a file read, partitions scored): on a terminal a
 * one-line bar redrawn in place with the rate and the time left; elsewhere (a log file, a pipe, CI)
 * no carriage returns, only one line when stepped work ends ({@link #progress}) and nothing for
 * {@link #work}, whose callers print their own summary, so logs stay readable.
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
  private long lastDraw;

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
      String bar = bar(total <= 0 ? WIDTH : (int) Math.round((double) step / total * WIDTH));
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

  /**
   * Progress through work measured in units ({@code done} of {@code total} bytes, events, ...);
   * drawn on a terminal at most every 200 ms, the line cleared when the work is done.
   *
   * @param message what was done so far, with its rate ("1,204,113 events, 402,000 events/s")
   */
  void work(long done, long total, String message) {
    if (!terminal || total <= 0) {
      return;
    }
    long now = System.nanoTime();
    boolean end = done >= total;
    if (!end && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double s = (now - start) / 1e9;
    double f = Math.min(1, (double) done / total);
    String eta = f > 0 && !end ? String.format(Locale.ROOT, ", about %.0f s left", s / f * (1 - f)) : "";
    err.printf(Locale.ROOT, "\r%s [%s] %3.0f%% %s (%.1f s%s)", label, bar((int) Math.round(f * WIDTH)), f * 100, message,
        s, eta);
    if (end) {
      err.print("\r" + " ".repeat(Math.max(0, label.length() + WIDTH + message.length() + 40)) + "\r");
    }
    err.flush();
  }

  /** The bar's inside: {@code filled} of {@link #WIDTH} marks (clamped), then blanks. */
  private static String bar(int filled) {
    int n = Math.max(0, Math.min(WIDTH, filled));
    return "#".repeat(n) + " ".repeat(WIDTH - n);
  }

  /** A rate per second since this bar started, for messages. */
  String perSecond(long count) {
    double s = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    return String.format(Locale.ROOT, "%,.0f/s", count / s);
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
