package io.seqwatch.plugin.svm;

import java.util.Arrays;

/**
 * Trains a one-class SVM with an RBF kernel on dense rows: Schölkopf's dual in libsvm's scaling
 * (minimise {@code 1/2 a'Qa} subject to {@code 0 <= a_i <= 1} and {@code sum a = nu l}), solved by
 * sequential minimal optimisation with second-order working-set selection (Fan, Chen and Lin, JMLR
 * 2005): each step takes the variable that most wants to grow, pairs it with the one whose exchange
 * lowers the objective most, and moves mass between the two within the box. It stops when the
 * maximal violation of the optimality conditions falls below {@code eps} (libsvm's {@code -e}); the
 * offset {@code rho} is the mean gradient over free variables, or the middle of the bounds when none
 * is free. The decision value is {@code sum a_i K(x_i, x) - rho}.
 *
 * <p>Why not libsvm's solver, which the detector used before: libsvm keeps every row as an array of
 * {index, value} objects and walks two of them per kernel value; on dense behaviour features that walk
 * was 80 % of training. Here a kernel column is a dense dot product per row ({@code exp(-gamma
 * (|x|^2 + |y|^2 - 2 x.y))}, as libsvm computes it in training), kept as floats in a least-recently
 * used cache bounded in bytes, so memory is {@code O(n d)} plus the cache, whatever {@code n}.
 *
 * <p>Thread-safety: not thread-safe; one instance per fit.
 */
final class OneClassSmo {
  /** Replaces a non-positive curvature, as libsvm does. */
  private static final double TAU = 1e-12;

  /** Rows per block of a kernel column's dot products. */
  private static final int BLOCK = 512;

  /**
   * The rows feature-major ({@code byFeature[j][i]}: feature {@code j} of row {@code i}): a column's
   * dot products are then d passes of {@code acc[k] += a * values[k]}, every array indexed by the
   * same loop variable, which the JIT vectorises (one flat {@code [d * n]} array read at {@code j * n
   * + k} was not vectorised by JDK 17's C2, and ran 3x slower).
   */
  private final double[][] byFeature;
  /** Row {@code i}'s values, copied from {@link #byFeature} when its column is computed. */
  private final double[] row;
  /** Dot products by row index. */
  private final double[] acc;
  private final int n;
  private final int d;
  private final double gamma;
  private final double[] square;
  private final ColumnCache cache;

  /**
   * @param rows the rows, each of the same width
   * @param cacheBytes the most bytes kernel columns may hold (at least two columns are kept)
   */
  OneClassSmo(double[][] rows, double gamma, long cacheBytes) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("no rows, or rows without features");
    }
    this.n = rows.length;
    this.d = rows[0].length;
    this.gamma = gamma;
    this.byFeature = featureMajor(rows, d);
    this.square = new double[n];
    for (int i = 0; i < n; i++) {
      for (double v : rows[i]) {
        square[i] += v * v;
      }
    }
    this.row = new double[d];
    this.acc = new double[n];
    this.cache = new ColumnCache(n, (int) Math.max(2, Math.min(n, cacheBytes / (4L * n))));
  }

  /** {@code rows} feature-major: value {@code j} of row {@code i} at {@code [j][i]}. */
  static double[][] featureMajor(double[][] rows, int d) {
    int n = rows.length;
    double[][] out = new double[d][n];
    for (int i = 0; i < n; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, not " + d);
      }
      for (int j = 0; j < d; j++) {
        out[j][i] = rows[i][j];
      }
    }
    return out;
  }

  /**
   * {@code acc[k] = sum_j z[j] * v_k[j]} for the rows {@code k} in {@code [from, to)} of a
   * feature-major matrix ({@link #featureMajor}): feature by feature over a block of rows, a loop
   * the JIT vectorises, the block's sums staying in cache.
   */
  static void dots(double[][] byFeature, double[] z, int from, int to, double[] acc) {
    Arrays.fill(acc, from, to, 0);
    for (int j = 0; j < z.length; j++) {
      double a = z[j];
      double[] values = byFeature[j];
      for (int k = from; k < to; k++) {
        acc[k] += a * values[k];
      }
    }
  }

  /** The solution: the coefficient of each row (0 for rows that are not support vectors) and rho. */
  record Solution(double[] alpha, double rho, int iterations) {}

  /** Solves for {@code nu} in (0, 1], stopping at violation {@code eps}. */
  Solution solve(double nu, double eps) {
    double[] alpha = new double[n];
    double total = nu * n;
    int whole = (int) total;
    for (int i = 0; i < Math.min(whole, n); i++) {
      alpha[i] = 1;
    }
    if (whole < n) {
      alpha[whole] = total - whole;
    }
    double[] g = new double[n]; // the gradient Q a
    for (int i = 0; i < n; i++) {
      if (alpha[i] > 0) {
        float[] q = column(i);
        for (int k = 0; k < n; k++) {
          g[k] += alpha[i] * q[k];
        }
      }
    }
    long most = Math.max(10_000_000L, 100L * n);
    int iter = 0;
    while (iter < most) {
      // i: the variable below its upper bound with the most negative gradient
      double gmax = Double.NEGATIVE_INFINITY;
      int i = -1;
      for (int t = 0; t < n; t++) {
        if (alpha[t] < 1 && -g[t] >= gmax) {
          gmax = -g[t];
          i = t;
        }
      }
      if (i < 0) {
        break;
      }
      float[] qi = column(i);
      // j: above its lower bound, the largest decrease of the objective with i
      double gmax2 = Double.NEGATIVE_INFINITY;
      double best = Double.POSITIVE_INFINITY;
      int j = -1;
      for (int t = 0; t < n; t++) {
        if (alpha[t] > 0) {
          if (g[t] >= gmax2) {
            gmax2 = g[t];
          }
          double b = gmax + g[t];
          if (b > 0) {
            double a = 2 - 2 * qi[t]; // K(i,i) = K(t,t) = 1
            double obj = -(b * b) / (a > 0 ? a : TAU);
            if (obj <= best) {
              best = obj;
              j = t;
            }
          }
        }
      }
      if (gmax + gmax2 < eps || j < 0) {
        break;
      }
      iter++;
      float[] qj = column(j); // cannot evict qi: i is the most recent column and the cache holds two or more
      double quad = 2 - 2 * (double) qi[j];
      double step = (g[j] - g[i]) / (quad > 0 ? quad : TAU);
      double room = Math.min(1 - alpha[i], alpha[j]);
      if (step >= room) {
        step = room;
      } else if (step < 0) {
        step = 0;
      }
      if (step == 0) {
        break; // no progress is possible (rounding); the solution is as good as it gets
      }
      alpha[i] = step == 1 - alpha[i] ? 1 : alpha[i] + step;
      alpha[j] = step == room && room == alpha[j] ? 0 : alpha[j] - step;
      for (int k = 0; k < n; k++) {
        g[k] += (qi[k] - qj[k]) * step;
      }
    }
    return new Solution(alpha, rho(alpha, g), iter);
  }

  private static double rho(double[] alpha, double[] g) {
    int free = 0;
    double sum = 0;
    double upper = Double.POSITIVE_INFINITY;
    double lower = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < alpha.length; i++) {
      if (alpha[i] >= 1) {
        lower = Math.max(lower, g[i]);
      } else if (alpha[i] <= 0) {
        upper = Math.min(upper, g[i]);
      } else {
        free++;
        sum += g[i];
      }
    }
    return free > 0 ? sum / free : (upper + lower) / 2;
  }

  /** Column {@code i} of the kernel matrix, from the cache or computed into it. */
  private float[] column(int i) {
    float[] q = cache.get(i);
    if (q != null) {
      return q;
    }
    q = cache.put(i);
    for (int j = 0; j < d; j++) {
      row[j] = byFeature[j][i];
    }
    double si = square[i];
    for (int from = 0; from < n; from += BLOCK) { // a block of dot products stays in L1 over all features
      int to = Math.min(n, from + BLOCK);
      dots(byFeature, row, from, to, acc);
      for (int k = from; k < to; k++) {
        q[k] = (float) Math.exp(-gamma * Math.max(0, si + square[k] - 2 * acc[k]));
      }
    }
    return q;
  }

  /**
   * Kernel columns by row, at most {@code capacity} of them; the least recently used one gives its
   * array to the next. Not thread-safe.
   */
  private static final class ColumnCache {
    private final float[][] columns;
    private final int[] prev;
    private final int[] next;
    private final int capacity;
    private final int n;
    private int head = -1; // most recently used
    private int tail = -1; // least recently used
    private int size;

    ColumnCache(int n, int capacity) {
      this.n = n;
      this.capacity = capacity;
      this.columns = new float[n][];
      this.prev = new int[n];
      this.next = new int[n];
      Arrays.fill(prev, -1);
      Arrays.fill(next, -1);
    }

    float[] get(int i) {
      if (columns[i] != null) {
        unlink(i);
        pushFront(i);
      }
      return columns[i];
    }

    /** A column array for row {@code i}, now the most recently used, contents to be written. */
    float[] put(int i) {
      float[] array;
      if (size < capacity) {
        array = new float[n];
        size++;
      } else {
        int old = tail;
        unlink(old);
        array = columns[old];
        columns[old] = null;
      }
      columns[i] = array;
      pushFront(i);
      return array;
    }

    private void unlink(int i) {
      if (prev[i] >= 0) {
        next[prev[i]] = next[i];
      } else {
        head = next[i];
      }
      if (next[i] >= 0) {
        prev[next[i]] = prev[i];
      } else {
        tail = prev[i];
      }
      prev[i] = -1;
      next[i] = -1;
    }

    private void pushFront(int i) {
      next[i] = head;
      prev[i] = -1;
      if (head >= 0) {
        prev[head] = i;
      }
      head = i;
      if (tail < 0) {
        tail = i;
      }
    }
  }
}
