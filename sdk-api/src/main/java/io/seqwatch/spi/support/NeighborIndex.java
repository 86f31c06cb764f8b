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
  // the points again, row-major in tree order (a leaf's points are adjacent in memory), and the
  // nodes' boxes likewise: what queries read
  private final double[] flat;
  private double[] boxLo;
  private double[] boxHi;

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
    flat = new double[points.length * dims];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(points[order[i]], 0, flat, i * dims, dims);
    }
    boxLo = new double[nodes * dims];
    boxHi = new double[nodes * dims];
    for (int n = 0; n < nodes; n++) {
      System.arraycopy(lo[n], 0, boxLo, n * dims, dims);
      System.arraycopy(hi[n], 0, boxHi, n * dims, dims);
    }
    lo = null; // built: queries read the flat copies
    hi = null;
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

  /**
   * Squared distance from {@code q} to node's box, or any value at least {@code bound} once the sum
   * reaches it (the caller only compares it with the bound).
   */
  private double boxDistance2(int node, double[] q, double bound) {
    double s = 0;
    int base = node * dims;
    for (int d = 0; d < dims; d++) {
      double l = boxLo[base + d];
      double h = boxHi[base + d];
      double v = q[d] < l ? l - q[d] : q[d] > h ? q[d] - h : 0;
      s += v * v;
      if (s > bound) {
        return s;
      }
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
      search(0, q, exclude, heap, 0, new double[dims]);
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

  /**
   * Depth-first search, nearer child first. {@code cellDistance2} is a lower bound of the squared
   * distance from q to the node's cell (the space its splits bound), kept up to date in O(1) per
   * node from the offsets along each dimension ({@code offset}, restored on return; Arya and Mount's
   * incremental distance); a leaf is also checked against its points' tight bounding box before
   * its points are read. Pruning is exact: a node is left out only when nothing in it could enter
   * the heap (the bound carries a 1e-10 relative margin for rounding), so the neighbours are those
   * of a full scan in the same order.
   */
  private void search(int node, double[] q, int exclude, Heap heap, double cellDistance2, double[] offset) {
    if (heap.full() && cellDistance2 * (1 - 1e-10) > heap.top()) {
      return;
    }
    if (splitDim[node] < 0) {
      if (heap.full() && boxDistance2(node, q, heap.top()) > heap.top()) {
        return;
      }
      for (int i = from[node]; i < to[node]; i++) {
        int p = order[i];
        if (p == exclude) {
          continue;
        }
        // the same sum as distance2(points[p], q), in the same order; once the heap is full, a
        // partial sum at or past its top cannot enter it (offer takes only d < top), so the rest of
        // the sum is skipped: the neighbours, their order and their distances are unchanged
        double bound = heap.full() ? heap.top() : Double.POSITIVE_INFINITY;
        int base = i * dims;
        double s = 0;
        int d = 0;
        while (d < dims) {
          int end = Math.min(dims, d + 4);
          for (; d < end; d++) {
            double v = flat[base + d] - q[d];
            s += v * v;
          }
          if (s >= bound) {
            break;
          }
        }
        if (s < bound) {
          heap.offer(s, p);
        }
      }
      return;
    }
    int d = splitDim[node];
    double diff = q[d] - splitValue[node];
    boolean goLeft = diff < 0;
    search(goLeft ? left[node] : right[node], q, exclude, heap, cellDistance2, offset);
    double before = offset[d];
    offset[d] = Math.abs(diff); // the far cell lies beyond the split plane along d
    search(goLeft ? right[node] : left[node], q, exclude, heap,
        cellDistance2 - before * before + diff * diff, offset);
    offset[d] = before;
  }

  /** Number of indexed points within {@code radius} of {@code q} (inclusive), stopping at {@code cap}. */
  public int countWithin(double[] q, double radius, int cap) {
    return countWithin(0, q, radius * radius, cap, 0);
  }

  private int countWithin(int node, double[] q, double r2, int cap, int found) {
    if (found >= cap || boxDistance2(node, q, r2) > r2) {
      return found;
    }
    if (splitDim[node] < 0) {
      for (int i = from[node]; i < to[node] && found < cap; i++) {
        if (distance2(points[order[i]], q) <= r2) { // the whole sum: the radius test is inclusive
          found++;
        }
      }
      return found;
    }
    found = countWithin(left[node], q, r2, cap, found);
    return countWithin(right[node], q, r2, cap, found);
  }
}
