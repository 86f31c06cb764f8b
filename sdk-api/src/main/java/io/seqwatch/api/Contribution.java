package io.seqwatch.api;

import java.util.Objects;

/**
 * One reason behind a score: a feature (or event) with its value, what is typical, and its share.
 *
 * @param name feature name or event description (for example {@code event 12: cart})
 * @param value observed value
 * @param typical typical value in the training data (median), {@code NaN} when not applicable
 * @param weight contribution to the anomaly score, larger is more important, comparable within
 *     one explanation
 * @param reason one human-readable line, for example {@code "views_per_hour 840 is 30x the training
 *     median 28"}
 *     <p>Thread-safety: immutable.
 */
public record Contribution(String name, double value, double typical, double weight, String reason) {
  public Contribution {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
  }
}
