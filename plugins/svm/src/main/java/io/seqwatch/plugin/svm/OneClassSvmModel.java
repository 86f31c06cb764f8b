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

  OneClassSvmModel(ModelProvenance p, FeatureStatistics stats, svm_model model, String text) {
    super(p, stats);
    this.model = model;
    this.text = text;
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
    double[] dec = new double[1];
    svm.svm_predict_values(model, nodes(statistics().standardize(x)), dec);
    return -dec[0];
  }

  @Override
  protected double[] contributions(double[] x) {
    double[] z = statistics().standardize(x);
    double best = Double.POSITIVE_INFINITY;
    double[] nearest = null;
    for (svm_node[] sv : model.SV) {
      double[] s = new double[z.length];
      for (svm_node n : sv) {
        if (n.index >= 1 && n.index <= z.length) {
          s[n.index - 1] = n.value;
        }
      }
      double d = io.seqwatch.spi.support.NeighborIndex.distance2(z, s);
      if (d < best) {
        best = d;
        nearest = s;
      }
    }
    double[] c = new double[z.length];
    for (int j = 0; j < z.length && nearest != null; j++) {
      c[j] = Math.abs(z[j] - nearest[j]);
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
