package io.seqwatch.core.threshold;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.Arrays;

/**
 * What the built-in policy providers share.
 *
 * <p>Thread-safety: stateless.
 */
abstract class ThresholdPolicyBase implements ThresholdPolicyProvider {
  static double[] sortedTraining(CalibrationData d) {
    double[] s = d.trainingScores();
    if (s.length == 0) {
      throw new ConfigurationException("no training scores to calibrate a threshold on");
    }
    Arrays.sort(s);
    return s;
  }

  static void requireValidation(CalibrationData d, String policy) {
    if (d.validationScores().isEmpty()) {
      throw new ConfigurationException("threshold policy " + policy
          + " needs labelled validation data (--validation F --validation-labels L)");
    }
    boolean[] labels = d.validationLabels().orElseThrow();
    boolean pos = false;
    boolean neg = false;
    for (boolean b : labels) {
      pos |= b;
      neg |= !b;
    }
    if (!pos || !neg) {
      throw new ConfigurationException("threshold policy " + policy
          + " needs validation labels with both normal (0) and anomalous (1) sequences");
    }
  }
}
