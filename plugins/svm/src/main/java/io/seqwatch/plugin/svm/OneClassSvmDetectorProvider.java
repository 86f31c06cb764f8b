package io.seqwatch.plugin.svm;

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

/**
 * {@code ocsvm}: one-class SVM, RBF kernel. Options {@code nu} (upper bound on the share of training
 * outliers, lower bound on support vectors), {@code gamma} (0 = 1 / features, scikit-learn's "scale"
 * on standardised data), {@code max-train} (SVM training is super-linear: a seeded sample beyond
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
    return "one-class SVM with RBF kernel (dense SMO, libsvm model format); score = minus the decision value";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofDouble("nu", 0.05, "upper bound on the share of training outliers, in (0, 1]"),
        OptionSpec.ofDouble("gamma", 0, "RBF kernel width; 0 = 1 / number of features"),
        OptionSpec.ofInt("max-train", 10_000, "most training sequences (a seeded sample beyond that)"),
        OptionSpec.ofDouble("tolerance", 1e-3, "stopping tolerance: the largest violation of the optimality conditions left (libsvm's -e)"));
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
      svm_parameter p = new svm_parameter();
      p.svm_type = svm_parameter.ONE_CLASS;
      p.kernel_type = svm_parameter.RBF;
      p.nu = nu;
      p.gamma = gamma0 > 0 ? gamma0 : 1.0 / d;
      p.cache_size = CACHE_MB;
      p.eps = tol;
      p.shrinking = 1;
      p.probability = 0;
      OneClassSmo.Solution sol = new OneClassSmo(x, p.gamma, CACHE_MB << 20).solve(nu, tol);
      svm_model m = model(p, x, sol);
      t.listener().progress(1, 1, m.l + " support vectors");
      Map<String, String> summary = Map.of("support-vectors", Integer.toString(m.l), "trained-on",
          Integer.toString(x.length), "gamma", Double.toString(p.gamma), "iterations", Integer.toString(sol.iterations()));
      return new OneClassSvmModel(VectorModel.provenanceFor(this, o, t, summary), stats, m, OneClassSvmModel.toText(m));
    });
  }

  /** The kernel cache, in megabytes (libsvm's default for its {@code -m} is 100; 200 was used here). */
  private static final long CACHE_MB = 200;

  /** The trained one-class model in libsvm's form, as {@code svm_train} builds it (the rows with a > 0). */
  private static svm_model model(svm_parameter p, double[][] x, OneClassSmo.Solution sol) {
    double[] alpha = sol.alpha();
    int count = 0;
    for (double a : alpha) {
      if (a > 0) {
        count++;
      }
    }
    svm_model m = new svm_model();
    m.param = p;
    m.nr_class = 2;
    m.l = count;
    m.SV = new libsvm.svm_node[count][];
    m.sv_coef = new double[][] {new double[count]};
    m.sv_indices = new int[count];
    m.rho = new double[] {sol.rho()};
    for (int i = 0, k = 0; i < alpha.length; i++) {
      if (alpha[i] > 0) {
        m.SV[k] = OneClassSvmModel.nodes(x[i]);
        m.sv_coef[0][k] = alpha[i];
        m.sv_indices[k] = i + 1;
        k++;
      }
    }
    return m;
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return OneClassSvmModel.read(VectorModel.readModelFile(in, name()));
  }
}
