package io.seqwatch.plugin.forest;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;

/**
 * A trained isolation forest stored as flat arrays (one entry per node, trees back to back).
 * {@code feature[n] < 0} marks a leaf holding {@code size[n]} training points.
 *
 * <p>Score: {@code 2^(-E[h(x)] / c(psi))}, in (0, 1], about 0.5 for ordinary points and close to 1
 * for points isolated after few splits. Explanation: each split on x's path credits its feature with
 * 1 / path length (short paths isolate, so their splits matter most); a feature's contribution is
 * its credit minus its mean credit over the training sample.
 *
 * <p>Thread-safety: immutable, safe for concurrent scoring.
 */
final class IsolationForestModel extends VectorModel {
  private final int sampleSize;
  private final int[] roots;
  private final int[] feature;
  private final double[] split;
  private final int[] left;
  private final int[] right;
  private final int[] size;
  private final double[] baselineCredit;
  private final double norm;
  /** Per node: c(size) for a leaf (the expected rest of the path below it), computed once, not per visit. */
  private final double[] leafDepth;

  IsolationForestModel(ModelProvenance p, FeatureStatistics stats, int sampleSize, int[] roots,
      int[] feature, double[] split, int[] left, int[] right, int[] size, double[] baselineCredit) {
    super(p, stats);
    int n = feature.length;
    int d = stats.schema().size();
    if (split.length != n || left.length != n || right.length != n || size.length != n
        || baselineCredit.length != d || roots.length == 0 || sampleSize < 1) {
      throw new ModelFormatException("isolation-forest model: node arrays are inconsistent");
    }
    for (int i = 0; i < n; i++) {
      if (feature[i] >= d || (feature[i] >= 0
          && (left[i] <= i || left[i] >= n || right[i] <= i || right[i] >= n))) {
        throw new ModelFormatException("isolation-forest model: node " + i + " is malformed");
      }
    }
    for (int r : roots) {
      if (r < 0 || r >= n) {
        throw new ModelFormatException("isolation-forest model: tree root " + r + " is out of range");
      }
    }
    this.sampleSize = sampleSize;
    this.roots = roots;
    this.feature = feature;
    this.split = split;
    this.left = left;
    this.right = right;
    this.size = size;
    this.baselineCredit = baselineCredit;
    this.norm = averagePathLength(sampleSize);
    this.leafDepth = new double[n];
    for (int i = 0; i < n; i++) {
      leafDepth[i] = feature[i] < 0 ? averagePathLength(size[i]) : 0;
    }
  }

  /** c(n): average path length of an unsuccessful search in a binary search tree of n points. */
  static double averagePathLength(int n) {
    if (n <= 1) {
      return 0;
    }
    if (n == 2) {
      return 1;
    }
    return 2 * (Math.log(n - 1) + 0.5772156649015329) - 2.0 * (n - 1) / n;
  }

  @Override
  protected double score(double[] x) {
    double total = 0;
    for (int root : roots) {
      total += pathLength(x, root);
    }
    double mean = total / roots.length;
    return norm == 0 ? 0.5 : Math.pow(2, -mean / norm);
  }

  /** Tree by tree for all rows (a tree's nodes stay in cache); per row the sum runs in tree order, as in score. */
  @Override
  protected double[] scoreRows(double[][] rows) {
    double[] total = new double[rows.length];
    for (int root : roots) {
      for (int i = 0; i < rows.length; i++) {
        total[i] += pathLength(rows[i], root);
      }
    }
    for (int i = 0; i < rows.length; i++) {
      double mean = total[i] / roots.length;
      total[i] = norm == 0 ? 0.5 : Math.pow(2, -mean / norm);
    }
    return total;
  }

  /** Path length of x in one tree: the splits to its leaf plus c(size) of the leaf. */
  private double pathLength(double[] x, int root) {
    int n = root;
    int depth = 0;
    while (feature[n] >= 0) {
      n = x[feature[n]] < split[n] ? left[n] : right[n];
      depth++;
    }
    return depth + leafDepth[n];
  }

  /**
   * Credit per feature for x, summed over trees: each split on x's path credits its feature with
   * 1 / path length. One walk per tree, the path's features kept on the way down.
   */
  double[] credit(double[] x) {
    double[] c = new double[feature.length == 0 ? 0 : statistics().schema().size()];
    int[] path = new int[32];
    for (int root : roots) {
      int n = root;
      int len = 0;
      while (feature[n] >= 0) {
        if (len == path.length) {
          path = java.util.Arrays.copyOf(path, 2 * len);
        }
        path[len++] = feature[n];
        n = x[feature[n]] < split[n] ? left[n] : right[n];
      }
      double h = len + leafDepth[n];
      if (h > 0) {
        double inv = 1.0 / h;
        for (int k = 0; k < len; k++) {
          c[path[k]] += inv;
        }
      }
    }
    return c;
  }

  @Override
  protected double[] contributions(double[] x) {
    double[] c = credit(x);
    for (int j = 0; j < c.length; j++) {
      c[j] = Math.max(0, c[j] - baselineCredit[j]) / roots.length;
    }
    return c;
  }

  @Override
  protected void writeParameters(Parameters.Builder b) {
    b.put("sample-size", sampleSize).put("roots", roots).put("feature", feature).put("split", split)
        .put("left", left).put("right", right).put("size", size).put("baseline-credit", baselineCredit);
  }

  static IsolationForestModel read(Parameters p) {
    return new IsolationForestModel(readProvenance(p), FeatureStatistics.readFrom(p),
        p.intValue("sample-size"), p.ints("roots"), p.ints("feature"), p.doubles("split"),
        p.ints("left"), p.ints("right"), p.ints("size"), p.doubles("baseline-credit"));
  }
}
