package io.seqwatch.spi.support;

import java.util.Arrays;

/**
 * An exact k-d tree over points in Euclidean space, for neighbour and density detectors: k nearest
 * neighbours and radius queries without O(n^2) memory. Points are split at the median of their
 * widest dimension down to small leaves; queries prune boxes farther than the current bound.
 *
 * <pre>{@code
 * NeighborIndex index = new NeighborIndex(points);
 * NeighborIndex.Result r = index.nearest(query, 10, -1);
 * }</pre>
 *
 * <p>Thread-safety: immutable after construction; queries are safe from any number of threads.
 */
public final class NeighborIndex {
  private static final int LEAF = 16;

  private final double[][] points;
  private final int[] order;
  private final int dims;
  // node arrays: [from, to) range in order, split dimension (-1 leaf), split value, children
  private int nodes;
  private int[] from = new int[64];
  private int[] to = new int[64];
  private int[] splitDim = new int[64];
  private double[] splitValue = new double[64];
  private int[] left = new int[64];
  private int[] right = new int[64];
  private double[][] lo = new double[64][];
  private double[][] hi = new double[64][];

  /**
   * Builds the index; the points are referenced, not copied, and must not change afterwards.
   *
   * @param points n points of equal dimension, n &gt;= 1
   */
  public NeighborIndex(double[][] points) {
    if (points.length == 0) {
      throw new IllegalArgumentException("no points to index");
    }
    this.points = points;
    this.dims = points[0].length;
    this.order = new int[points.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      if (points[i].length != dims) {
        throw new IllegalArgumentException("point " + i + " has " + points[i].length + " dimensions, not " + dims);
      }
    }
    build(0, points.length);
  }

  /** Number of indexed points. */
  public int size() {
    return points.length;
  }

  /** The indexed point {@code i}. */
  public double[] point(int i) {
    return points[i];
  }

  private int build(int f, int t) {
    int me = nodes++;
    if (me == from.length) {
      int cap = me * 2;
      from = Arrays.copyOf(from, cap);
      to = Arrays.copyOf(to, cap);
      splitDim = Arrays.copyOf(splitDim, cap);
      splitValue = Arrays.copyOf(splitValue, cap);
      left = Arrays.copyOf(left, cap);
      right = Arrays.copyOf(right, cap);
      lo = Arrays.copyOf(lo, cap);
      hi = Arrays.copyOf(hi, cap);
    }
    double[] l = new double[dims];
    double[] h = new double[dims];
    Arrays.fill(l, Double.POSITIVE_INFINITY);
    Arrays.fill(h, Double.NEGATIVE_INFINITY);
    for (int i = f; i < t; i++) {
      double[] p = points[order[i]];
      for (int d = 0; d < dims; d++) {
        l[d] = Math.min(l[d], p[d]);
        h[d] = Math.max(h[d], p[d]);
      }
    }
    from[me] = f;
    to[me] = t;
    lo[me] = l;
    hi[me] = h;
    int best = -1;
    double spread = 0;
    for (int d = 0; d < dims; d++) {
      if (h[d] - l[d] > spread) {
        spread = h[d] - l[d];
        best = d;
      }
    }
    if (t - f <= LEAF || best < 0) {
      splitDim[me] = -1;
      return me;
    }
    int mid = (f + t) >>> 1;
    select(f, t - 1, mid, best);
    splitDim[me] = best;
    splitValue[me] = points[order[mid]][best];
    int a = build(f, mid);
    int b = build(mid, t);
    left[me] = a;
    right[me] = b;
    return me;
  }

  /** Quickselect on order[f..t] so that position k holds the k-th smallest along dimension d. */
  private void select(int f, int t, int k, int d) {
    while (f < t) {
      double pivot = points[order[(f + t) >>> 1]][d];
      int i = f;
      int j = t;
      while (i <= j) {
        while (points[order[i]][d] < pivot) {
          i++;
        }
        while (points[order[j]][d] > pivot) {
          j--;
        }
        if (i <= j) {
          int tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
          i++;
          j--;
        }
      }
      if (k <= j) {
        t = j;
      } else if (k >= i) {
        f = i;
      } else {
        return;
      }
    }
  }

  private double boxDistance2(int node, double[] q) {
    double s = 0;
    for (int d = 0; d < dims; d++) {
      double v = q[d] < lo[node][d] ? lo[node][d] - q[d] : q[d] > hi[node][d] ? q[d] - hi[node][d] : 0;
      s += v * v;
    }
    return s;
  }

  /** Squared Euclidean distance. */
  public static double distance2(double[] a, double[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      double v = a[d] - b[d];
      s += v * v;
    }
    return s;
  }

  /**
   * Nearest neighbours, closest first.
   *
   * @param indices point indices
   * @param distances Euclidean distances
   */
  public record Result(int[] indices, double[] distances) {}

  /**
   * The {@code k} nearest indexed points to {@code q}.
   *
   * @param exclude an index to leave out (the query's own point), or -1
   */
  public Result nearest(double[] q, int k, int exclude) {
    int kk = Math.min(k, points.length - (exclude >= 0 ? 1 : 0));
    Heap heap = new Heap(Math.max(kk, 0));
    if (kk > 0) {
      search(0, q, exclude, heap);
    }
    int n = heap.size;
    int[] idx = new int[n];
    double[] dist = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      dist[i] = Math.sqrt(heap.dist[0]);
      idx[i] = heap.idx[0];
      heap.pop();
    }
    return new Result(idx, dist);
  }

  /** A bounded max-heap of (squared distance, index) on primitive arrays. Not thread-safe. */
  private static final class Heap {
    final double[] dist;
    final int[] idx;
    int size;

    Heap(int capacity) {
      dist = new double[capacity];
      idx = new int[capacity];
    }

    boolean full() {
      return size == dist.length;
    }

    double top() {
      return dist[0];
    }

    void offer(double d, int i) {
      if (!full()) {
        int c = size++;
        dist[c] = d;
        idx[c] = i;
        while (c > 0) {
          int parent = (c - 1) >>> 1;
          if (dist[parent] >= dist[c]) {
            break;
          }
          swap(parent, c);
          c = parent;
        }
      } else if (d < dist[0]) {
        dist[0] = d;
        idx[0] = i;
        siftDown();
      }
    }

    void pop() {
      size--;
      dist[0] = dist[size];
      idx[0] = idx[size];
      siftDown();
    }

    private void siftDown() {
      int c = 0;
      while (true) {
        int l = 2 * c + 1;
        int r = l + 1;
        int m = c;
        if (l < size && dist[l] > dist[m]) {
          m = l;
        }
        if (r < size && dist[r] > dist[m]) {
          m = r;
        }
        if (m == c) {
          return;
        }
        swap(c, m);
        c = m;
      }
    }

    private void swap(int a, int b) {
      double td = dist[a];
      dist[a] = dist[b];
      dist[b] = td;
      int ti = idx[a];
      idx[a] = idx[b];
      idx[b] = ti;
    }
  }

  private void search(int node, double[] q, int exclude, Heap heap) {
    if (heap.full() && boxDistance2(node, q) > heap.top()) {
      return;
    }
    if (splitDim[node] < 0) {
      for (int i = from[node]; i < to[node]; i++) {
        int p = order[i];
        if (p != exclude) {
          heap.offer(distance2(points[p], q), p);
        }
      }
      return;
    }
    boolean goLeft = q[splitDim[node]] < splitValue[node];
    search(goLeft ? left[node] : right[node], q, exclude, heap);
    search(goLeft ? right[node] : left[node], q, exclude, heap);
  }

  /** Number of indexed points within {@code radius} of {@code q} (inclusive), stopping at {@code cap}. */
  public int countWithin(double[] q, double radius, int cap) {
    return countWithin(0, q, radius * radius, cap, 0);
  }

  private int countWithin(int node, double[] q, double r2, int cap, int found) {
    if (found >= cap || boxDistance2(node, q) > r2) {
      return found;
    }
    if (splitDim[node] < 0) {
      for (int i = from[node]; i < to[node] && found < cap; i++) {
        if (distance2(points[order[i]], q) <= r2) {
          found++;
        }
      }
      return found;
    }
    found = countWithin(left[node], q, r2, cap, found);
    return countWithin(right[node], q, r2, cap, found);
  }
}
