package io.seqwatch.plugin.svm;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * {@code ocsvm}: one-class SVM, RBF kernel. Options {@code nu} (upper bound on the share of training
 * outliers, lower bound on support vectors), {@code gamma} (0 = 1 / features, scikit-learn's "scale"
 * on standardised data), {@code max-train} (libsvm training is super-linear: a seeded sample beyond
 * this many sequences).
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class OneClassSvmDetectorProvider implements DetectorProvider {
  static {
    svm.svm_set_print_string_function(s -> {});
  }

  @Override
  public String name() {
    return "ocsvm";
  }

  @Override
  public String description() {
    return "one-class SVM with RBF kernel (libsvm); score = minus the decision value";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofDouble("nu", 0.05, "upper bound on the share of training outliers, in (0, 1]"),
        OptionSpec.ofDouble("gamma", 0, "RBF kernel width; 0 = 1 / number of features"),
        OptionSpec.ofInt("max-train", 10_000, "most training sequences (a seeded sample beyond that)"),
        OptionSpec.ofDouble("tolerance", 1e-3, "libsvm stopping tolerance"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    double nu = o.getDouble("nu", 1e-6, 1);
    double gamma0 = o.getDouble("gamma", 0, 1e6);
    int maxTrain = o.getInt("max-train", 2, 10_000_000);
    double tol = o.getDouble("tolerance", 1e-12, 1);
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      double[][] x = VectorModel.standardizedSample(v, stats, maxTrain, t.seed());
      int d = stats.schema().size();
      svm_problem prob = new svm_problem();
      prob.l = x.length;
      prob.y = new double[prob.l];
      prob.x = new libsvm.svm_node[prob.l][];
      for (int i = 0; i < prob.l; i++) {
        prob.y[i] = 1;
        prob.x[i] = OneClassSvmModel.nodes(x[i]);
      }
      svm_parameter p = new svm_parameter();
      p.svm_type = svm_parameter.ONE_CLASS;
      p.kernel_type = svm_parameter.RBF;
      p.nu = nu;
      p.gamma = gamma0 > 0 ? gamma0 : 1.0 / d;
      p.cache_size = 200;
      p.eps = tol;
      p.shrinking = 1;
      p.probability = 0;
      String err = svm.svm_check_parameter(prob, p);
      if (err != null) {
        throw new ConfigurationException("ocsvm: libsvm rejects the parameters: " + err);
      }
      svm_model m = svm.svm_train(prob, p);
      t.listener().progress(1, 1, m.l + " support vectors");
      return new OneClassSvmModel(VectorModel.provenanceFor(this, o, t, Map.of("support-vectors",
          Integer.toString(m.l), "trained-on", Integer.toString(prob.l), "gamma", Double.toString(p.gamma))),
          stats, m, OneClassSvmModel.toText(m));
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return OneClassSvmModel.read(VectorModel.readModelFile(in, name()));
  }
}
