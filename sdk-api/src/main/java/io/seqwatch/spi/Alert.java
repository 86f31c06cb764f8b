package io.seqwatch.spi;

import io.seqwatch.api.Explanation;
import java.time.Instant;
import java.util.Objects;

/**
 * An anomalous sequence reported to the platform.
 *
 * @param key sequence key (actor, session or line)
 * @param detector detector name
 * @param score anomaly score
 * @param threshold the threshold it exceeded
 * @param explanation reasons
 * @param at when the alert was raised
 *     <p>Thread-safety: immutable.
 */
public record Alert(
    String key, String detector, double score, double threshold, Explanation explanation, Instant at) {
  public Alert {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(at, "at");
  }
}
