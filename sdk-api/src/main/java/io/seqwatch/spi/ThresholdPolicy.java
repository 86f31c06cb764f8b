package io.seqwatch.spi;

/**
 * Turns scores into a decision threshold.
 *
 * <p>Thread-safety: immutable configuration, safe for concurrent {@link #calibrate}.
 */
public interface ThresholdPolicy {
  /**
   * Calibrates a threshold.
   *
   * @throws io.seqwatch.api.ConfigurationException when the policy needs data that is missing
   *     (for example labelled validation scores)
   */
  Threshold calibrate(CalibrationData data);

  /**
   * The segmenter whose segments this policy needs in {@link CalibrationData#trainingSegments()}
   * (for example {@code length}); empty for policies with one global threshold.
   */
  default java.util.Optional<String> segmentation() {
    return java.util.Optional.empty();
  }

  /**
   * Whether {@link CalibrationData#trainingScores()} should hold held-out scores: scores of
   * training sequences by models that did not fit them (cross-fitting), so that a model that
   * memorises its training data does not calibrate on its own optimistic scores. Default false.
   */
  default boolean calibratesOnHeldOut() {
    return false;
  }
}
