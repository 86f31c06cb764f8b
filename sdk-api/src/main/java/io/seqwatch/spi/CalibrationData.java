package io.seqwatch.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Scores a threshold policy calibrates on: the training scores, and optionally labelled validation
 * scores.
 *
 * @param trainingScores scores of the training sequences
 * @param validationScores scores of validation sequences
 * @param validationLabels one label per validation score (true = anomalous)
 * @param trainingSegments segment of each training score, or empty when the policy asked for none
 * @param validationSegments segment of each validation score, or empty
 *     <p>Thread-safety: immutable; arrays are copied.
 */
public record CalibrationData(
    double[] trainingScores,
    Optional<double[]> validationScores,
    Optional<boolean[]> validationLabels,
    List<String> trainingSegments,
    List<String> validationSegments) {
  public CalibrationData {
    trainingScores = trainingScores.clone();
    validationScores = validationScores.map(double[]::clone);
    validationLabels = validationLabels.map(boolean[]::clone);
    if (validationScores.isPresent() != validationLabels.isPresent()) {
      throw new IllegalArgumentException("validation scores and labels come together");
    }
    trainingSegments = List.copyOf(trainingSegments);
    validationSegments = List.copyOf(validationSegments);
    if (!trainingSegments.isEmpty() && trainingSegments.size() != trainingScores.length) {
      throw new IllegalArgumentException(trainingSegments.size() + " segments for " + trainingScores.length + " training scores");
    }
    if (!validationSegments.isEmpty() && validationSegments.size() != validationScores.map(v -> v.length).orElse(0)) {
      throw new IllegalArgumentException("validation segments and scores differ in number");
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
    return new CalibrationData(trainingScores, Optional.empty(), Optional.empty(), List.of(), List.of());
  }

  /** Calibration with labelled validation scores. */
  public static CalibrationData of(double[] trainingScores, double[] validation, boolean[] labels) {
    Objects.requireNonNull(validation, "validation");
    return new CalibrationData(trainingScores, Optional.of(validation), Optional.of(labels), List.of(), List.of());
  }

  /** The same data with segments attached. */
  public CalibrationData withSegments(List<String> training, List<String> validation) {
    return new CalibrationData(trainingScores, validationScores, validationLabels, training, validation);
  }

  @Override
  public double[] trainingScores() {
    return trainingScores.clone();
  }
}
