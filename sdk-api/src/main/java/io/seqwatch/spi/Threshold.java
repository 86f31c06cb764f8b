package io.seqwatch.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A calibrated decision threshold: a score strictly above {@code value} is anomalous.
 *
 * @param value the threshold
 * @param policy the policy spec that produced it, for example {@code quantile:0.99}
 * @param details how it was found (for example the validation F1 it reached)
 *     <p>Thread-safety: immutable.
 */
public record Threshold(double value, String policy, Map<String, String> details) {
  public Threshold {
    Objects.requireNonNull(policy, "policy");
    details = Map.copyOf(details);
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("threshold is NaN");
    }
  }

  /** Whether {@code score} is above the threshold. */
  public boolean isAnomalous(double score) {
    return score > value;
  }
}
