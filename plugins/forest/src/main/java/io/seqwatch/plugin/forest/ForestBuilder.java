package io.seqwatch.plugin.forest;

import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import java.util.Arrays;
import java.util.Random;

/**
 * Grows isolation trees into growable flat arrays. Not thread-safe: one builder per fit.
 */
final class ForestBuilder {
  private final double[][] x;
  private final int d;
  private final int maxDepth;
  private final Random random;
  /** feature ids, shuffled in place while drawing (the draw does not depend on their order) */
  private final int[] features;
  private int count;
  private int[] feature = new int[1024];
  private double[] split = new double[1024];
  private int[] left = new int[1024];
  private int[] right = new int[1024];
  private int[] size = new int[1024];

  ForestBuilder(double[][] x, int d, int maxDepth, Random random) {
    this.x = x;
    this.d = d;
    this.maxDepth = maxDepth;
    this.random = random;
    this.features = new int[d];
    for (int j = 0; j < d; j++) {
      features[j] = j;
    }
  }

  /** Grows one tree on a subsample drawn without replacement; returns its root. */
  int tree(int sample) {
    int n = x.length;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < sample; i++) { // partial Fisher-Yates
      int j = i + random.nextInt(n - i);
      int tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
    return grow(Arrays.copyOf(idx, sample), 0, sample, 0);
  }

  private int node() {
    if (count == feature.length) {
      int cap = count * 2;
      feature = Arrays.copyOf(feature, cap);
      split = Arrays.copyOf(split, cap);
      left = Arrays.copyOf(left, cap);
      right = Arrays.copyOf(right, cap);
      size = Arrays.copyOf(size, cap);
    }
    return count++;
  }

  private int grow(int[] idx, int from, int to, int depth) {
    int me = node();
    int n = to - from;
    if (depth >= maxDepth || n <= 1) {
      return leaf(me, n);
    }
    // a feature drawn uniformly among those not constant here: draw without replacement until one varies
    int[] order = features;
    for (int t = 0; t < d; t++) {
      int j = t + random.nextInt(d - t);
      int f = order[j];
      order[j] = order[t];
      order[t] = f;
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = from; i < to; i++) {
        double v = x[idx[i]][f];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi > lo) {
        double s = lo + random.nextDouble() * (hi - lo);
        if (s <= lo) {
          s = Math.nextUp(lo);
        }
        int mid = from;
        for (int i = from; i < to; i++) {
          if (x[idx[i]][f] < s) {
            int tmp = idx[i];
            idx[i] = idx[mid];
            idx[mid] = tmp;
            mid++;
          }
        }
        feature[me] = f;
        split[me] = s;
        int l = grow(idx, from, mid, depth + 1);
        int r = grow(idx, mid, to, depth + 1);
        left[me] = l;
        right[me] = r;
        size[me] = n;
        return me;
      }
    }
    return leaf(me, n);
  }

  private int leaf(int me, int n) {
    feature[me] = -1;
    size[me] = n;
    return me;
  }

  IsolationForestModel model(ModelProvenance p, FeatureStatistics stats, int sample, int[] roots,
      double[] baseline) {
    return new IsolationForestModel(p, stats, sample, roots, Arrays.copyOf(feature, count),
        Arrays.copyOf(split, count), Arrays.copyOf(left, count), Arrays.copyOf(right, count),
        Arrays.copyOf(size, count), baseline);
  }
}
