package io.seqwatch.engine.djl;

import io.seqwatch.api.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a non-finite loss from becoming a model. Training code calls {@link #check} on every batch
 * loss before the backward pass, so a NaN or infinite loss never updates the weights; the attempt
 * then ends with {@link Diverged}, and {@link #train} starts it again from the same seed with a
 * learning rate ten times lower, at most three attempts in all. When the last attempt diverges too,
 * training ends with a {@link ModelFormatException} that names the learning rates tried and the fix
 * (the CLI's exit code 4), never with a model whose scores are NaN.
 *
 * <p>Thread-safety: stateless.
 */
final class DivergenceGuard {
  private static final Logger LOG = LoggerFactory.getLogger(DivergenceGuard.class);

  /** Attempts in all, the first at the configured learning rate. */
  static final int ATTEMPTS = 3;

  /** Each retry divides the learning rate by this. */
  static final float FACTOR = 10f;

  private DivergenceGuard() {}

  /** One training attempt at a learning rate. */
  @FunctionalInterface
  interface Attempt<M> {
    M train(float learningRate);
  }

  /** Signals a non-finite loss inside an attempt; the attempt must release what it allocated. */
  static final class Diverged extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int epoch;
    final double loss;

    Diverged(int epoch, double loss) {
      super("loss " + loss + " in epoch " + epoch, null, false, false);
      this.epoch = epoch;
      this.loss = loss;
    }
  }

  /** Ends the attempt when {@code loss} is NaN or infinite. */
  static void check(double loss, int epoch) {
    if (!Double.isFinite(loss)) {
      throw new Diverged(epoch, loss);
    }
  }

  /** Runs {@code attempt} at {@code learningRate}, then at lower rates while it diverges. */
  static <M> M train(String detector, float learningRate, Attempt<M> attempt) {
    float rate = learningRate;
    List<String> tried = new ArrayList<>();
    Diverged last = null;
    for (int a = 0; a < ATTEMPTS; a++) {
      try {
        return attempt.train(rate);
      } catch (Diverged d) {
        last = d;
        tried.add(String.format(Locale.ROOT, "%.3g (loss %s in epoch %d)", rate, d.loss, d.epoch));
        rate /= FACTOR;
        if (a + 1 < ATTEMPTS) {
          LOG.warn("{}: training diverged (loss {} in epoch {}); retrying at learning rate {}", detector, d.loss,
              d.epoch, rate);
        }
      }
    }
    throw new ModelFormatException(detector + ": training diverged at every learning rate tried: "
        + String.join(", ", tried) + ". Lower it (--set learning-rate=" + String.format(Locale.ROOT, "%.3g", rate)
        + "), or look for extreme values in the input; no model was saved", last);
  }
}
