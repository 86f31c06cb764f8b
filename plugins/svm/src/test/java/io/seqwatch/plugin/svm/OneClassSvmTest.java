package io.seqwatch.plugin.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OneClassSvmTest {
  @Test
  void outsideTheSupportScoresAboveZeroAndTheNuBoundHolds() {
    FeatureSchema xy = new FeatureSchema(List.of("x", "y"));
    Random r = new Random(2);
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      obs.add(Observation.of(new FeatureVector("p" + i, xy, new double[] {r.nextGaussian(), r.nextGaussian()})));
    }
    OneClassSvmDetectorProvider p = new OneClassSvmDetectorProvider();
    Model m = p.create(Options.of(p.options(), Map.of("nu", "0.1"))).fit(TrainingSet.of(obs, 1));
    double center = m.score(Observation.of(new FeatureVector("c", xy, new double[] {0, 0})));
    double far = m.score(Observation.of(new FeatureVector("f", xy, new double[] {6, -6})));
    assertTrue(center < 0 && far > 0, "center " + center + " far " + far);
    long outside = obs.stream().filter(o -> m.score(o) > 0).count();
    assertTrue(outside <= 0.1 * 500 + 10, "training points outside: " + outside + " (nu = 0.1)");
  }

  @Test
  void theDenseDecisionIsLibsvms() {
    int d = 12;
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    FeatureSchema schema = new FeatureSchema(names);
    Random r = new Random(5);
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = j % 3 == 0 ? r.nextInt(3) : r.nextGaussian() * (1 + j); // some features mostly zero
      }
      obs.add(Observation.of(new FeatureVector("p" + i, schema, x)));
    }
    OneClassSvmDetectorProvider p = new OneClassSvmDetectorProvider();
    OneClassSvmModel m = (OneClassSvmModel) p.create(Options.of(p.options(), Map.of("nu", "0.05")))
        .fit(TrainingSet.of(obs, 3));
    for (int i = 0; i < 300; i++) {
      double[] z = new double[d];
      for (int j = 0; j < d; j++) {
        z[j] = i % 7 == 0 ? 0 : r.nextGaussian() * 2;
      }
      double libsvm = m.libsvmDecision(z);
      assertEquals(libsvm, m.decision(z), 1e-12 * Math.max(1, Math.abs(libsvm)), "row " + i);
    }
  }

  @Test
  void theSolverReachesLibsvmsOptimum() {
    int n = 700;
    int d = 6;
    Random r = new Random(11);
    double[][] rows = new double[n][];
    libsvm.svm_problem prob = new libsvm.svm_problem();
    prob.l = n;
    prob.y = new double[n];
    prob.x = new libsvm.svm_node[n][];
    for (int i = 0; i < n; i++) {
      double[] row = new double[d];
      for (int j = 0; j < d; j++) {
        row[j] = i % 10 == 0 ? r.nextGaussian() * 3 : r.nextGaussian(); // a tenth spread wider
      }
      rows[i] = row;
      prob.y[i] = 1;
      prob.x[i] = OneClassSvmModel.nodes(row);
    }
    for (double nu : new double[] {0.02, 0.1, 0.5}) {
      libsvm.svm_parameter p = new libsvm.svm_parameter();
      p.svm_type = libsvm.svm_parameter.ONE_CLASS;
      p.kernel_type = libsvm.svm_parameter.RBF;
      p.nu = nu;
      p.gamma = 1.0 / d;
      p.cache_size = 50;
      p.eps = 1e-7;
      p.shrinking = 1;
      libsvm.svm.svm_set_print_string_function(x -> {});
      libsvm.svm_model reference = libsvm.svm.svm_train(prob, p);
      OneClassSmo.Solution ours = new OneClassSmo(rows, p.gamma, 1 << 20).solve(nu, 1e-7);
      double sum = 0;
      for (double a : ours.alpha()) {
        assertTrue(a >= 0 && a <= 1, "a box constraint: " + a);
        sum += a;
      }
      assertEquals(nu * n, sum, 1e-6, "the equality constraint, nu " + nu);
      assertEquals(reference.rho[0], ours.rho(), 1e-4 * Math.max(1, Math.abs(reference.rho[0])), "rho, nu " + nu);
      double[] coef = new double[n];
      for (int k = 0; k < reference.l; k++) {
        coef[reference.sv_indices[k] - 1] = reference.sv_coef[0][k];
      }
      for (int i = 0; i < n; i++) {
        assertEquals(coef[i], ours.alpha()[i], 2e-3, "coefficient of row " + i + ", nu " + nu);
      }
    }
  }
}
