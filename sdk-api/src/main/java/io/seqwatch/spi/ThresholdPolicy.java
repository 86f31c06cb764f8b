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
}
