package io.seqwatch.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * Named numeric features of one sequence.
 *
 * @param key the sequence key
 * @param schema feature names
 * @param values one finite value per feature (copied on the way in and out)
 *     <p>Thread-safety: immutable.
 */
public record FeatureVector(String key, FeatureSchema schema, double[] values) {
  public FeatureVector {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(schema, "schema");
    values = values.clone();
    if (values.length != schema.size()) {
      throw new IllegalArgumentException(
          "expected " + schema.size() + " values for " + schema.names() + ", got " + values.length);
    }
    double check = 0; // x - x is 0 for a finite x and NaN otherwise: one sum instead of a branch per value
    for (double x : values) {
      check += x - x;
    }
    if (check != 0 || Double.isNaN(check)) {
      for (int i = 0; i < values.length; i++) {
        if (!Double.isFinite(values[i])) {
          throw new IllegalArgumentException(
              "feature " + schema.name(i) + " of '" + key + "' is not finite: " + values[i]);
        }
      }
    }
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** Value of feature {@code i} without copying. */
  public double get(int i) {
    return values[i];
  }

  /** Value of a named feature. */
  public double get(String name) {
    return values[schema.indexOf(name)];
  }

  /** Number of features. */
  public int size() {
    return values.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureVector v
        && key.equals(v.key)
        && schema.equals(v.schema)
        && Arrays.equals(values, v.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, schema, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "FeatureVector[" + key + ", " + Arrays.toString(values) + "]";
  }
}
