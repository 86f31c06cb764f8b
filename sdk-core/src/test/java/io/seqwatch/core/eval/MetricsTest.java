package io.seqwatch.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MetricsTest {
  // scikit-learn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333...
  private static final double[] SCORES = {0.1, 0.4, 0.35, 0.8};
  private static final boolean[] LABELS = {false, false, true, true};

  @Test
  void handMadeCaseMatchesIndependentValues() {
    assertEquals(0.75, Metrics.rocAuc(SCORES, LABELS), 1e-12);
    // AP by hand: thresholds 0.8 (P=1, R=.5), 0.4 (P=.5, R=.5), 0.35 (P=2/3, R=1): .5*1 + .5*2/3
    assertEquals(0.5 + 0.5 * 2.0 / 3.0, Metrics.averagePrecision(SCORES, LABELS), 1e-12);
    assertEquals(0.5, Metrics.precisionAtK(SCORES, LABELS, 2), 1e-12);
  }

  @Test
  void tiesCountHalf() {
    assertEquals(0.5, Metrics.rocAuc(new double[] {1, 1, 1, 1}, new boolean[] {true, false, true, false}), 1e-12);
    // all tied: one threshold flags everything, precision = 0.5, recall 1
    assertEquals(0.5, Metrics.averagePrecision(new double[] {1, 1, 1, 1}, new boolean[] {true, false, true, false}), 1e-12);
  }

  @Test
  void evaluatorCountsConfusionAndPerKindRecall() {
    Labels labels = new Labels(Map.of("a", false, "b", false, "c", true, "d", true),
        Map.of("c", "click_bot", "d", "scraper"));
    EvaluationResult r = Evaluator.evaluate(List.of("a", "b", "c", "d", "zz"),
        new double[] {0.1, 0.4, 0.35, 0.8, 0.9}, new boolean[] {false, true, false, true, true}, labels);
    assertEquals(4, r.sequences());
    assertEquals(1, r.unlabelled());
    assertEquals(1, r.tp());
    assertEquals(1, r.fp());
    assertEquals(1, r.tn());
    assertEquals(1, r.fn());
    assertEquals(0.5, r.precision(), 1e-12);
    assertEquals(0.5, r.recall(), 1e-12);
    assertEquals(0.5, r.f1(), 1e-12);
    assertEquals(0.5, r.fpr(), 1e-12);
    assertEquals(0.75, r.rocAuc(), 1e-12);
    assertEquals(0.0, r.perKind().get("click_bot").recall());
    assertEquals(1.0, r.perKind().get("scraper").recall());
  }

  /** Brute force over all (positive, negative) pairs. */
  private static double pairwiseAuc(double[] s, boolean[] y) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s.length; j++) {
        if (y[i] && !y[j]) {
          pairs++;
          wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  /** Brute force: mean over positives of precision at the lowest threshold that includes each. */
  private static double bruteAp(double[] s, boolean[] y) {
    int pos = 0;
    for (boolean b : y) {
      pos += b ? 1 : 0;
    }
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      if (!y[i]) {
        continue;
      }
      int flagged = 0;
      int tp = 0;
      for (int j = 0; j < s.length; j++) {
        if (s[j] >= s[i]) {
          flagged++;
          tp += y[j] ? 1 : 0;
        }
      }
      sum += (double) tp / flagged;
    }
    return sum / pos;
  }

  @Property(tries = 300)
  void metricsAgreeWithBruteForceAndStayInRange(
      @ForAll @Size(min = 2, max = 40) List<@DoubleRange(min = 0, max = 3) Double> raw,
      @ForAll @Size(min = 2, max = 40) List<Boolean> rawLabels) {
    int n = Math.min(raw.size(), rawLabels.size());
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    boolean pos = false;
    boolean neg = false;
    for (int i = 0; i < n; i++) {
      s[i] = Math.round(raw.get(i) * 4) / 4.0; // force ties
      y[i] = rawLabels.get(i);
      pos |= y[i];
      neg |= !y[i];
    }
    if (!pos || !neg) {
      assertTrue(Double.isNaN(Metrics.rocAuc(s, y)));
      return;
    }
    double auc = Metrics.rocAuc(s, y);
    double ap = Metrics.averagePrecision(s, y);
    assertEquals(pairwiseAuc(s, y), auc, 1e-9);
    assertEquals(bruteAp(s, y), ap, 1e-9);
    assertTrue(auc >= 0 && auc <= 1);
    assertTrue(ap > 0 && ap <= 1);
  }
}
