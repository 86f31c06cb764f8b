package io.seqwatch.api;

import java.util.Objects;

/**
 * The anomaly score of one sequence. Higher means more anomalous.
 *
 * @param key the sequence key
 * @param value finite score
 * @param anomalous whether the calibrated threshold flags it
 * @param explanation why (may be {@link Explanation#NONE})
 *     <p>Thread-safety: immutable.
 */
public record Score(String key, double value, boolean anomalous, Explanation explanation) {
  public Score {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(explanation, "explanation");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("score of '" + key + "' is not finite: " + value);
    }
  }
}
