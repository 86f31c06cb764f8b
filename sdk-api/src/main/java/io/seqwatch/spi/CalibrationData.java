package io.seqwatch.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Scores a threshold policy calibrates on: the training scores, and optionally labelled validation
 * scores.
 *
 * @param trainingScores scores of the training sequences
 * @param validationScores scores of validation sequences
 * @param validationLabels one label per validation score (true = anomalous)
 *     <p>Thread-safety: immutable; arrays are copied.
 */
public record CalibrationData(
    double[] trainingScores,
    Optional<double[]> validationScores,
    Optional<boolean[]> validationLabels) {
  public CalibrationData {
    trainingScores = trainingScores.clone();
    validationScores = validationScores.map(double[]::clone);
    validationLabels = validationLabels.map(boolean[]::clone);
    if (validationScores.isPresent() != validationLabels.isPresent()) {
      throw new IllegalArgumentException("validation scores and labels come together");
    }
    if (validationScores.isPresent()
        && validationScores.get().length != validationLabels.get().length) {
      throw new IllegalArgumentException(
          validationScores.get().length + " validation scores but "
              + validationLabels.get().length + " labels");
    }
  }

  /** Calibration on training scores only. */
  public static CalibrationData of(double[] trainingScores) {
    return new CalibrationData(trainingScores, Optional.empty(), Optional.empty());
  }

  /** Calibration with labelled validation scores. */
  public static CalibrationData of(double[] trainingScores, double[] validation, boolean[] labels) {
    Objects.requireNonNull(validation, "validation");
    return new CalibrationData(trainingScores, Optional.of(validation), Optional.of(labels));
  }

  @Override
  public double[] trainingScores() {
    return trainingScores.clone();
  }
}
