package io.seqwatch.core.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranking metrics on scores and binary labels (true = anomalous), computed exactly with ties handled
 * the way scikit-learn does.
 *
 * <p>Thread-safety: stateless.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * Area under the ROC curve: the probability that a random anomalous sequence scores above a
   * random normal one, ties counting one half (Mann-Whitney U with mid-ranks).
   *
   * @return NaN when only one class is present
   */
  public static double rocAuc(double[] scores, boolean[] labels) {
    check(scores, labels);
    int n = scores.length;
    Integer[] idx = order(scores, false);
    double[] rank = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
        j++;
      }
      double mid = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[idx[k]] = mid;
      }
      i = j + 1;
    }
    long pos = 0;
    double sum = 0;
    for (int k = 0; k < n; k++) {
      if (labels[k]) {
        pos++;
        sum += rank[k];
      }
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (sum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * Average precision (area under the precision-recall curve as a step function): the sum over
   * distinct score thresholds of (recall gain) x (precision at that threshold), as scikit-learn's
   * {@code average_precision_score}.
   *
   * @return NaN when there is no anomalous sequence
   */
  public static double averagePrecision(double[] scores, boolean[] labels) {
    check(scores, labels);
    Integer[] idx = order(scores, true);
    int pos = 0;
    for (boolean b : labels) {
      pos += b ? 1 : 0;
    }
    if (pos == 0) {
      return Double.NaN;
    }
    double ap = 0;
    int tp = 0;
    int seen = 0;
    int i = 0;
    while (i < idx.length) {
      double s = scores[idx[i]];
      int tpBefore = tp;
      while (i < idx.length && scores[idx[i]] == s) {
        tp += labels[idx[i]] ? 1 : 0;
        seen++;
        i++;
      }
      ap += (double) (tp - tpBefore) / pos * ((double) tp / seen);
    }
    return ap;
  }

  /** Share of anomalous sequences among the {@code k} highest scores (ties broken by input order). */
  public static double precisionAtK(double[] scores, boolean[] labels, int k) {
    check(scores, labels);
    if (k <= 0) {
      return Double.NaN;
    }
    Integer[] idx = order(scores, true);
    int kk = Math.min(k, idx.length);
    int tp = 0;
    for (int i = 0; i < kk; i++) {
      tp += labels[idx[i]] ? 1 : 0;
    }
    return (double) tp / kk;
  }

  private static Integer[] order(double[] scores, boolean descending) {
    Integer[] idx = new Integer[scores.length];
    Arrays.setAll(idx, i -> i);
    Comparator<Integer> c = Comparator.comparingDouble(i -> scores[i]);
    Arrays.sort(idx, descending ? c.reversed() : c);
    return idx;
  }

  private static void check(double[] scores, boolean[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
    }
    for (double s : scores) {
      if (Double.isNaN(s)) {
        throw new IllegalArgumentException("NaN score");
      }
    }
  }

  /** Spearman's rank correlation of two score lists (average ranks for ties); NaN when either is constant. */
  public static double spearman(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " scores against " + b.length);
    }
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double ma = java.util.Arrays.stream(ra).average().orElse(0);
    double mb = java.util.Arrays.stream(rb).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (ra[i] - ma) * (rb[i] - mb);
      saa += (ra[i] - ma) * (ra[i] - ma);
      sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /** Ranks from 0, ties sharing their average rank. */
  private static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    for (int i = 0; i < order.length;) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int q = i; q <= j; q++) {
        r[order[q]] = (i + j) / 2.0;
      }
      i = j + 1;
    }
    return r;
  }
}
