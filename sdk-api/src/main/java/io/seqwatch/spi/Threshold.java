package io.seqwatch.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A calibrated decision threshold: a score strictly above {@code value} is anomalous. A per-segment
 * threshold also holds one value per segment (for example per sequence-length bucket); sequences of
 * other segments use {@code value}.
 *
 * @param value the threshold (the global one for segmented thresholds)
 * @param policy the policy spec that produced it, for example {@code quantile:0.99}
 * @param details how it was found (for example the validation F1 it reached)
 * @param segmentation name of the segmenter, empty when not segmented
 * @param segments threshold per segment
 *     <p>Thread-safety: immutable.
 */
public record Threshold(
    double value, String policy, Map<String, String> details, String segmentation, Map<String, Double> segments) {
  public Threshold {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(segmentation, "segmentation");
    details = Map.copyOf(details);
    segments = Map.copyOf(segments);
    if (Double.isNaN(value) || segments.values().stream().anyMatch(v -> v.isNaN())) {
      throw new IllegalArgumentException("threshold is NaN");
    }
    if (segmentation.isEmpty() && !segments.isEmpty()) {
      throw new IllegalArgumentException("segment thresholds without a segmentation");
    }
  }

  /** A threshold with one value for everything. */
  public Threshold(double value, String policy, Map<String, String> details) {
    this(value, policy, details, "", Map.of());
  }

  /** Whether this threshold has per-segment values. */
  public boolean segmented() {
    return !segmentation.isEmpty();
  }

  /** The threshold that applies to {@code segment}. */
  public double valueFor(String segment) {
    return segments.getOrDefault(segment, value);
  }

  /** Whether {@code score} is above the global threshold. */
  public boolean isAnomalous(double score) {
    return score > value;
  }

  /** Whether {@code score} is above the threshold of {@code segment}. */
  public boolean isAnomalous(double score, String segment) {
    return score > valueFor(segment);
  }
}
