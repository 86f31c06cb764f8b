package io.seqwatch.spi.support;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-feature summary of training data (mean, std, quartiles, median), what vector detectors
 * compare against and what explanations quote as "typical".
 *
 * <p>Thread-safety: immutable (a schema found equal is remembered, which changes no result).
 */
public final class FeatureStatistics {
  private final FeatureSchema schema;
  private final double[] mean;
  private final double[] std;
  private final double[] q1;
  private final double[] median;
  private final double[] q3;
  /** The last schema object found equal to {@link #schema}: rows of one extractor share it. */
  private FeatureSchema matched;

  private FeatureStatistics(
      FeatureSchema schema, double[] mean, double[] std, double[] q1, double[] median, double[] q3) {
    this.schema = schema;
    this.mean = mean;
    this.std = std;
    this.q1 = q1;
    this.median = median;
    this.q3 = q3;
  }

  /** Feature columns gathered per pass over the vectors in {@link #of}. */
  private static final int COLUMNS_PER_PASS = 4;

  /** Summarises feature vectors that share one schema. */
  public static FeatureStatistics of(List<FeatureVector> vectors) {
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("no feature vectors");
    }
    FeatureSchema schema = vectors.get(0).schema();
    int d = schema.size();
    int n = vectors.size();
    double[] mean = new double[d];
    double[] std = new double[d];
    double[] q1 = new double[d];
    double[] med = new double[d];
    double[] q3 = new double[d];
    for (FeatureVector v : vectors) {
      if (v.schema() != schema && !v.schema().equals(schema)) {
        throw new IllegalArgumentException("vector '" + v.key() + "' has another schema");
      }
    }
    // a few features' columns per pass over the vectors (one pass per feature read each vector's
    // array from memory again), each summed and summarised in the order of its rows
    int width = Math.min(d, COLUMNS_PER_PASS);
    double[][] cols = new double[width][n];
    double[] scratch = new double[n];
    for (int first = 0; first < d; first += width) {
      int w = Math.min(width, d - first);
      for (int i = 0; i < n; i++) {
        FeatureVector v = vectors.get(i);
        for (int c = 0; c < w; c++) {
          cols[c][i] = v.get(first + c);
        }
      }
      for (int c = 0; c < w; c++) {
        int j = first + c;
        double[] col = cols[c];
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += col[i];
        }
        mean[j] = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
          ss += (col[i] - mean[j]) * (col[i] - mean[j]);
        }
        std[j] = Math.sqrt(ss / n);
        System.arraycopy(col, 0, scratch, 0, n);
        double[] q = Quantiles.ofUnordered(scratch, 0.25, 0.5, 0.75);
        q1[j] = q[0];
        med[j] = q[1];
        q3[j] = q[2];
      }
    }
    return new FeatureStatistics(schema, mean, std, q1, med, q3);
  }

  public FeatureSchema schema() {
    return schema;
  }

  public double mean(int j) {
    return mean[j];
  }

  public double std(int j) {
    return std[j];
  }

  public double q1(int j) {
    return q1[j];
  }

  public double median(int j) {
    return median[j];
  }

  public double q3(int j) {
    return q3[j];
  }

  /**
   * Scale of feature {@code j} for standardising: its standard deviation, floored at {@code 1e-3 (1
   * + |mean|)} so that a feature constant in training still registers a change.
   */
  public double scale(int j) {
    return Math.max(std[j], 1e-3 * (1 + Math.abs(mean[j])));
  }

  /** {@code (x - mean) / scale} per feature: the space distance-based detectors work in. */
  public double[] standardize(double[] x) {
    double[] z = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      z[j] = (x[j] - mean[j]) / scale(j);
    }
    return z;
  }

  /** Adds this summary to a parameter builder under {@code stats.*}. */
  public Parameters.Builder writeTo(Parameters.Builder b) {
    return b.put("stats.features", schema.names())
        .put("stats.mean", mean)
        .put("stats.std", std)
        .put("stats.q1", q1)
        .put("stats.median", median)
        .put("stats.q3", q3);
  }

  /**
   * Reads a summary written by {@link #writeTo}.
   *
   * @throws ModelFormatException when arrays are missing or of the wrong length
   */
  public static FeatureStatistics readFrom(Parameters p) {
    FeatureSchema schema = new FeatureSchema(p.strings("stats.features"));
    double[][] a = {p.doubles("stats.mean"), p.doubles("stats.std"), p.doubles("stats.q1"),
        p.doubles("stats.median"), p.doubles("stats.q3")};
    for (double[] x : a) {
      if (x.length != schema.size()) {
        throw new ModelFormatException("feature statistics have " + x.length + " values for "
            + schema.size() + " features");
      }
    }
    return new FeatureStatistics(schema, a[0], a[1], a[2], a[3], a[4]);
  }

  /**
   * Checks that a vector has the schema the model was trained on.
   *
   * @throws io.seqwatch.api.ConfigurationException naming both schemas
   */
  public void requireSchema(FeatureVector v) {
    FeatureSchema s = v.schema();
    if (s == schema || s == matched) { // the extractor's one schema object: its names compared once
      return;
    }
    if (s.equals(schema)) {
      matched = s; // a benign race: any thread may store an equal schema
      return;
    }
    throw new io.seqwatch.api.ConfigurationException("feature vector '" + v.key()
        + "' has features " + s.names() + " but the model was trained on " + schema.names());
  }

  /**
   * A contribution for feature {@code j} with a one-line reason that compares the value with the
   * training median, for example {@code "events_per_hour 840 is 30x the training median 28"}.
   */
  public Contribution contribution(int j, double value, double weight) {
    return new Contribution(schema.name(j), value, median[j], weight, reason(schema.name(j), value, median[j], q1[j], q3[j]));
  }

  static String reason(String name, double value, double median, double q1, double q3) {
    String v = format(value);
    String m = format(median);
    String typical = q1 == q3 ? "training median " + m
        : "training median " + m + ", typical " + format(q1) + "-" + format(q3);
    if (median > 0 && value > 0) {
      double ratio = value / median;
      if (ratio >= 2) {
        return name + " " + v + " is " + format(ratio) + "x the " + typical;
      }
      if (ratio <= 0.5) {
        return name + " " + v + " is " + format(1 / ratio) + "x below the " + typical;
      }
    }
    return name + " " + v + (value > median ? " above" : value < median ? " below" : " at")
        + " the " + typical;
  }

  /** Compact number: integers as integers, others with up to 3 significant decimals. */
  public static String format(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    double a = Math.abs(x);
    String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g";
    // Locale.US prints as ROOT does ('.', '0', '-') without building DecimalFormatSymbols on every call
    // (a reason per scored sequence made that a tenth of batch scoring)
    return String.format(Locale.US, f, x);
  }
}
