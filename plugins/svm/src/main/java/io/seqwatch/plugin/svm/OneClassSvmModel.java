package io.seqwatch.plugin.svm;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;

/**
 * A trained libsvm one-class model. Score: minus the decision value, so points outside the learnt
 * support score above 0 and higher is more anomalous. Explanation: per feature, the absolute
 * difference in standard deviations to the support vector with the largest kernel value (the
 * closest part of the normal region).
 *
 * <p>The model is persisted in libsvm's own text format (inside the bundle's parameter file), so it
 * can also be opened with libsvm's tools. Thread-safety: immutable; libsvm's prediction only reads
 * the model, so concurrent scoring is safe.
 */
final class OneClassSvmModel extends VectorModel {
  private final svm_model model;
  private final String text;
  private final double[] coefficients;
  /** The support vectors, dense and feature-major ({@code [d][l]}: libsvm's sparse nodes, zeros filled in), and their squared norms. */
  private final double[][] byFeature;
  private final double[] squares;
  private final double rho;
  private final double gamma;
  private final int d;

  OneClassSvmModel(ModelProvenance p, FeatureStatistics stats, svm_model model, String text) {
    super(p, stats);
    this.model = model;
    this.text = text;
    this.d = stats.schema().size();
    double[][] rows = new double[model.l][d];
    this.squares = new double[model.l];
    for (int i = 0; i < model.l; i++) {
      for (svm_node n : model.SV[i]) {
        if (n.index < 1 || n.index > d) {
          throw new ModelFormatException("ocsvm model: support vector " + (i + 1) + " has feature index " + n.index
              + ", outside 1.." + d);
        }
        rows[i][n.index - 1] = n.value;
      }
      for (double v : rows[i]) {
        squares[i] += v * v;
      }
    }
    this.byFeature = OneClassSmo.featureMajor(rows, d);
    this.coefficients = model.sv_coef[0].clone();
    this.rho = model.rho[0];
    this.gamma = model.param.gamma;
  }

  /**
   * libsvm's one-class decision value, {@code sum_i coef_i exp(-gamma |z - v_i|^2) - rho}, on dense
   * arrays: the squared distances as {@code |z|^2 + |v|^2 - 2 z.v}, the dot products with every
   * support vector by {@link OneClassSmo#dots} (the loop training uses for kernel columns), instead
   * of libsvm's walk over two arrays of node objects per support vector. Equal to libsvm's value to
   * about 1e-12 (the order of the sums differs).
   */
  double decision(double[] z) {
    int l = coefficients.length;
    double[] dots = new double[l];
    OneClassSmo.dots(byFeature, z, 0, l, dots);
    double zz = 0;
    for (double a : z) {
      zz += a * a;
    }
    double sum = 0;
    for (int i = 0; i < l; i++) {
      sum += coefficients[i] * Math.exp(-gamma * Math.max(0, zz + squares[i] - 2 * dots[i]));
    }
    return sum - rho;
  }

  /** The same value through libsvm itself (tests compare the two). */
  double libsvmDecision(double[] z) {
    double[] dec = new double[1];
    svm.svm_predict_values(model, nodes(z), dec);
    return dec[0];
  }

  static svm_node[] nodes(double[] z) {
    svm_node[] n = new svm_node[z.length];
    for (int j = 0; j < z.length; j++) {
      n[j] = new svm_node();
      n[j].index = j + 1;
      n[j].value = z[j];
    }
    return n;
  }

  @Override
  protected double score(double[] x) {
    return -decision(statistics().standardize(x));
  }

  @Override
  protected double[] contributions(double[] x) {
    double[] z = statistics().standardize(x);
    int l = coefficients.length;
    double[] dist = new double[l]; // squared distance to each support vector, feature by feature
    for (int j = 0; j < d; j++) {
      double[] values = byFeature[j];
      for (int i = 0; i < l; i++) {
        double diff = z[j] - values[i];
        dist[i] += diff * diff;
      }
    }
    int nearest = -1;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < l; i++) {
      if (dist[i] < best) {
        best = dist[i];
        nearest = i;
      }
    }
    double[] c = new double[d];
    for (int j = 0; j < d && nearest >= 0; j++) {
      c[j] = Math.abs(z[j] - byFeature[j][nearest]);
    }
    return c;
  }

  @Override
  protected void writeParameters(Parameters.Builder b) {
    b.put("libsvm-model", text);
  }

  /** libsvm's text form of a model. */
  static String toText(svm_model m) {
    try {
      Path tmp = Files.createTempFile("seqwatch-ocsvm", ".model");
      try {
        svm.svm_save_model(tmp.toString(), m);
        return Files.readString(tmp, StandardCharsets.US_ASCII);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the libsvm model to a temporary file", e);
    }
  }

  static OneClassSvmModel read(Parameters p) {
    String text = p.string("libsvm-model");
    svm_model m;
    try {
      m = svm.svm_load_model(new BufferedReader(new StringReader(text)));
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("ocsvm model: the libsvm model text is unreadable: " + e, e);
    }
    if (m == null || m.SV == null || m.SV.length == 0 || m.param.svm_type != libsvm.svm_parameter.ONE_CLASS) {
      throw new ModelFormatException("ocsvm model: the libsvm model text is not a one-class model with support vectors");
    }
    return new OneClassSvmModel(readProvenance(p), FeatureStatistics.readFrom(p), m, text);
  }
}
