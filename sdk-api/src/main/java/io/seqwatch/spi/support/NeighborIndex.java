package io.seqwatch.spi.support;

import java.util.Arrays;

/**
 * Exact nearest neighbours in Euclidean space, for neighbour and density detectors: k nearest
 * neighbours and radius queries without O(n^2) memory. Single queries walk a k-d tree (points split
 * at the median of their widest dimension down to small leaves; boxes farther than the current
 * bound are pruned). Batches of queries ({@link #nearest(double[][], int, boolean)}) in more than
 * {@value #TREE_DIMS} dimensions, where a tree still reads a large part of the points, scan the
 * points in blocks instead, as scikit-learn's brute force does above 15 dimensions: blocks of 1,024
 * points in tree order (near points together), the query's own block first, a block skipped when
 * its bounding box is farther than the k-th neighbour so far; within a block a float screen the JIT
 * vectorises (points stored by dimension) proposes candidates with a proven error margin and each
 * candidate's distance is then computed exactly. The neighbours of every indexed point (a density
 * detector's fit) screen each pair once for both points. All paths return the same neighbours with
 * the same distances: the k smallest by (squared distance, index), the distance computed by
 * {@link #distance2} in double precision.
 *
 * <pre>{@code
 * NeighborIndex index = new NeighborIndex(points);
 * NeighborIndex.Result r = index.nearest(query, 10, -1);
 * NeighborIndex.Result[] all = index.nearest(queries, 10, false);
 * }</pre>
 *
 * <p>Thread-safety: immutable after construction; queries are safe from any number of threads.
 */
public final class NeighborIndex {
  private static final int LEAF = 16;
  /** Batches in at most this many dimensions use the tree; above it the blocked scan. */
  static final int TREE_DIMS = 15;
  /** Points per block of the scan: its float distances stay in the first-level cache. */
  private static final int BLOCK = 1024;
  /** Queries whose heaps are open at once in a batch. */
  private static final int QUERY_CHUNK = 256;
  /** Coordinates at or above this magnitude could overflow a float square: such points are scanned exactly. */
  private static final double FLOAT_SAFE = 1e18;

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
  // the scan's view (null in TREE_DIMS dimensions or fewer), by position in tree order (so that a
  // block holds points near each other): coordinates by dimension in float, each point's share of
  // the screen's margin (screenError * |p|^2), and whether each block fits a float
  private final float[][] byDim;
  private final float[] slack;
  private final double[] norm2; // |p|^2 by position, for the screen's margin
  private final boolean[] blockScreenable;
  private final double screenError;
  // each block's bounding box, dimension-major per block: blockLo[b * dims + d]
  private final double[] blockLo;
  private final double[] blockHi;

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
    if (dims > TREE_DIMS) {
      int n = points.length;
      byDim = new float[dims][n];
      slack = new float[n];
      norm2 = new double[n];
      screenError = 1e-6 + 2.4e-7 * dims;
      int blocks = (n + BLOCK - 1) / BLOCK;
      blockScreenable = new boolean[blocks];
      java.util.Arrays.fill(blockScreenable, true);
      for (int i = 0; i < n; i++) { // i: position in tree order
        double[] p = points[order[i]];
        for (int d = 0; d < dims; d++) {
          byDim[d][i] = (float) p[d];
        }
        norm2[i] = norm2(p);
        slack[i] = (float) (screenError * norm2[i]);
        if (!floatSafe(p)) {
          blockScreenable[i / BLOCK] = false;
        }
      }
      blockLo = new double[blocks * dims];
      blockHi = new double[blocks * dims];
      java.util.Arrays.fill(blockLo, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(blockHi, Double.NEGATIVE_INFINITY);
      for (int i = 0; i < n; i++) {
        int base = (i / BLOCK) * dims;
        for (int d = 0; d < dims; d++) {
          double v = flat[i * dims + d];
          blockLo[base + d] = Math.min(blockLo[base + d], v);
          blockHi[base + d] = Math.max(blockHi[base + d], v);
        }
      }
    } else {
      byDim = null;
      slack = null;
      norm2 = null;
      blockScreenable = null;
      screenError = 0;
      blockLo = null;
      blockHi = null;
    }
  }

  /** Number of indexed points. */
  public int size() {
    return points.length;
  }

  /** The indexed points, as given to the constructor (not a copy: do not change them). */
  public double[][] points() {
    return points;
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
    return boxDistance2(boxLo, boxHi, node * dims, q, dims, bound);
  }

  /**
   * Squared distance from {@code q} to the box {@code lo[base..base+dims)}, {@code hi[...]}, or a
   * partial sum past {@code bound} once it passes it.
   */
  private static double boxDistance2(double[] lo, double[] hi, int base, double[] q, int dims, double bound) {
    double s = 0;
    for (int d = 0; d < dims; d++) {
      double l = lo[base + d];
      double h = hi[base + d];
      double v = q[d] < l ? l - q[d] : q[d] > h ? q[d] - h : 0;
      s += v * v;
      if (s > bound) {
        return s;
      }
    }
    return s;
  }

  /**
   * Squared Euclidean distance, summed in four interleaved partial sums (dimension d into sum d mod
   * 4, the dimensions past the last multiple of four into the first) added as (s0 + s1) + (s2 + s3):
   * four independent additions per step instead of one chain. Every path of this index computes a
   * distance exactly so, which is what makes them agree to the last bit.
   */
  public static double distance2(double[] a, double[] b) {
    return distance2(a, 0, b, a.length, Double.POSITIVE_INFINITY);
  }

  /**
   * {@link #distance2} of the {@code dims} values of {@code a} from {@code base} and {@code q}; once a
   * partial total passes {@code bound} (the sums only grow) it returns that total instead, which is
   * more than {@code bound}. A total that stays within the bound is the whole distance.
   */
  private static double distance2(double[] a, int base, double[] q, int dims, double bound) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int d = 0;
    for (; d + 4 <= dims; d += 4) {
      double v0 = a[base + d] - q[d];
      double v1 = a[base + d + 1] - q[d + 1];
      double v2 = a[base + d + 2] - q[d + 2];
      double v3 = a[base + d + 3] - q[d + 3];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
      if (bound != Double.POSITIVE_INFINITY && (s0 + s1) + (s2 + s3) > bound) {
        return (s0 + s1) + (s2 + s3);
      }
    }
    for (; d < dims; d++) {
      double v = a[base + d] - q[d];
      s0 += v * v;
    }
    return (s0 + s1) + (s2 + s3);
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
    return heap.drain();
  }

  /**
   * The {@code k} nearest indexed points to each query: the same result as {@link #nearest(double[],
   * int, int)} of each, computed for the whole batch at once (a blocked scan above {@value #TREE_DIMS}
   * dimensions).
   *
   * @param queries points of this index's dimension
   * @param self whether {@code queries[i]} is indexed point {@code i}, left out of its own neighbours
   *     (then {@code queries} must be this index's points)
   */
  public Result[] nearest(double[][] queries, int k, boolean self) {
    if (self && queries.length != points.length) {
      throw new IllegalArgumentException(queries.length + " queries are not the index's " + points.length + " points");
    }
    Result[] out = new Result[queries.length];
    if (byDim == null) {
      for (int i = 0; i < queries.length; i++) {
        out[i] = nearest(queries[i], k, self ? i : -1);
      }
      return out;
    }
    int kk = Math.max(0, Math.min(k, points.length - (self ? 1 : 0)));
    if (kk == 0) {
      for (int i = 0; i < queries.length; i++) {
        out[i] = new Heap(0).drain();
      }
      return out;
    }
    if (self && queries == points) {
      return nearestAmongPoints(kk);
    }
    int n = points.length;
    int blocks = (n + BLOCK - 1) / BLOCK;
    float[] screen = new float[n];
    float[][] fq = new float[QUERY_CHUNK][dims];
    double[] qNorm2 = new double[QUERY_CHUNK];
    boolean[] qScreenable = new boolean[QUERY_CHUNK];
    int[] home = new int[QUERY_CHUNK];
    Heap[] heaps = new Heap[QUERY_CHUNK];
    for (int q0 = 0; q0 < queries.length; q0 += QUERY_CHUNK) {
      int qn = Math.min(QUERY_CHUNK, queries.length - q0);
      for (int a = 0; a < qn; a++) {
        double[] q = queries[q0 + a];
        if (q.length != dims) {
          throw new IllegalArgumentException("query " + (q0 + a) + " has " + q.length + " dimensions, not " + dims);
        }
        heaps[a] = new Heap(kk);
        for (int d = 0; d < dims; d++) {
          fq[a][d] = (float) q[d];
        }
        qNorm2[a] = norm2(q);
        qScreenable[a] = floatSafe(q);
        // the block of the leaf the query falls in first: its neighbours are likely there, and once
        // the heap holds them the other blocks offer few candidates
        home[a] = leafOf(q) / BLOCK;
        scan(queries[q0 + a], fq[a], qNorm2[a], qScreenable[a], self ? q0 + a : -1, home[a], heaps[a], screen);
      }
      for (int b = 0; b < blocks; b++) {
        for (int a = 0; a < qn; a++) {
          if (b != home[a]) {
            scan(queries[q0 + a], fq[a], qNorm2[a], qScreenable[a], self ? q0 + a : -1, b, heaps[a], screen);
          }
        }
      }
      for (int a = 0; a < qn; a++) {
        out[q0 + a] = heaps[a].drain();
      }
    }
    return out;
  }

  /** |p|^2, summed dimension by dimension. */
  private static double norm2(double[] p) {
    double s = 0;
    for (double v : p) {
      s += v * v;
    }
    return s;
  }

  /** Whether every coordinate of {@code p} is small enough for its float square to stay finite. */
  private static boolean floatSafe(double[] p) {
    for (double v : p) {
      if (!(Math.abs(v) < FLOAT_SAFE)) {
        return false;
      }
    }
    return true;
  }

  /** Squared distance from {@code q} to block b's box, or any value past {@code bound} once the sum passes it. */
  private double blockDistance2(int b, double[] q, double bound) {
    return boxDistance2(blockLo, blockHi, b * dims, q, dims, bound);
  }

  /** The position (in tree order) where the leaf that {@code q} falls in starts. */
  private int leafOf(double[] q) {
    int node = 0;
    while (splitDim[node] >= 0) {
      node = q[splitDim[node]] < splitValue[node] ? left[node] : right[node];
    }
    return from[node];
  }

  /** Offers the points of block {@code b} that may enter the heap of query {@code q}. */
  private void scan(double[] q, float[] fq, double qNorm2, boolean qScreenable, int exclude, int b, Heap heap,
      float[] screen) {
    if (heap.full() && blockDistance2(b, q, heap.top()) * (1 - 1e-10) > heap.top()) {
      return; // no point of the block is nearer than the heap's top (the tree's pruning rule)
    }
    int p0 = b * BLOCK;
    int pe = Math.min(points.length, p0 + BLOCK);
    if (!qScreenable || !blockScreenable[b]) {
      for (int j = p0; j < pe; j++) {
        if (order[j] != exclude) {
          heap.offer(distance2At(j, q), order[j]);
        }
      }
      return;
    }
    screen(fq, p0, pe, screen);
    float limit = screenLimit(heap.bound(), qNorm2);
    for (int j = p0; j < pe; j++) {
      if (screen[j] <= limit && order[j] != exclude) {
        heap.offer(distance2At(j, q), order[j]);
        limit = screenLimit(heap.bound(), qNorm2);
      }
    }
  }

  /** {@link #distance2} of the point at tree position {@code pos} and {@code q}, from the flat copy. */
  private double distance2At(int pos, double[] q) {
    return distance2(flat, pos * dims, q, dims, Double.POSITIVE_INFINITY);
  }

  /**
   * Every indexed point's {@code k} nearest other points, each pair's distance screened once for
   * both of its points (half the work of querying each point). Pairs are taken block by block in
   * tree order, first within each block (near points: every heap fills with good neighbours), then
   * between blocks, where few pairs then pass either point's screen; a pair that may enter either
   * point's neighbours gets its exact distance.
   */
  private Result[] nearestAmongPoints(int k) {
    int n = points.length;
    int blocks = (n + BLOCK - 1) / BLOCK;
    Heap[] heaps = new Heap[n]; // by position
    // limits[v]: the screen limit of position v's heap less v's slack (its value as the query side
    // of a pair, where the slack taken off the screened value is the other point's)
    float[] limits = new float[n];
    for (int v = 0; v < n; v++) {
      heaps[v] = new Heap(k);
      limits[v] = Float.POSITIVE_INFINITY;
    }
    float[] screen = new float[n];
    float[] fq = new float[dims];
    for (int b = 0; b < blocks; b++) {
      pairs(b, b, heaps, limits, screen, fq);
    }
    for (int bu = 0; bu < blocks; bu++) {
      for (int bv = bu + 1; bv < blocks; bv++) {
        pairs(bu, bv, heaps, limits, screen, fq);
      }
    }
    Result[] out = new Result[n];
    for (int v = 0; v < n; v++) {
      out[order[v]] = heaps[v].drain();
      heaps[v] = null;
    }
    return out;
  }

  /** The pairs (u, v), u in block bu, v in block bv, u before v, offered to both heaps where they may enter. */
  private void pairs(int bu, int bv, Heap[] heaps, float[] limits, float[] screen, float[] fq) {
    int n = points.length;
    int u0 = bu * BLOCK;
    int ue = Math.min(n, u0 + BLOCK);
    int v0 = bv * BLOCK;
    int ve = Math.min(n, v0 + BLOCK);
    boolean screenable = blockScreenable[bu] && blockScreenable[bv];
    for (int u = u0; u < ue; u++) {
      int from = Math.max(v0, u + 1);
      if (from >= ve) {
        continue;
      }
      double[] pu = points[order[u]];
      Heap hu = heaps[u];
      if (!screenable) {
        for (int v = from; v < ve; v++) {
          double d = distance2At(v, pu);
          hu.offer(d, order[v]);
          heaps[v].offer(d, order[u]);
        }
        continue;
      }
      for (int d = 0; d < dims; d++) {
        fq[d] = byDim[d][u];
      }
      screen(fq, v0, ve, screen); // the whole block: the JIT's vector loop needs long, equal runs
      float limit = screenLimit(hu.bound(), norm2[u]);
      float slackU = slack[u];
      for (int v = from; v < ve; v++) {
        float x = screen[v];
        boolean forU = x <= limit;
        boolean forV = x <= limits[v] + slackU;
        if (forU || forV) {
          double d = distance2At(v, pu);
          if (forU) {
            hu.offer(d, order[v]);
            limit = screenLimit(hu.bound(), norm2[u]);
          }
          if (forV) {
            Heap hv = heaps[v];
            hv.offer(d, order[u]);
            limits[v] = hv.full() ? Math.nextUp(screenLimit(hv.bound(), norm2[v]) - slack[v]) : Float.POSITIVE_INFINITY;
          }
        }
      }
    }
  }

  /**
   * The largest screened value ({@link #screen}: the float squared distance less the point's slack)
   * that may still belong to a point whose exact squared distance is at most {@code bound}. With u =
   * 2^-24, each float difference is off by at most 3u (|x| + |p|) per dimension, which moves the sum
   * of squares by at most about 4.3u (bound + |q|^2 + |p|^2) (Cauchy-Schwarz), and summing d float
   * squares adds at most d u of the sum: the margin, {@code screenError} (bound + |q|^2 + |p|^2)
   * with screenError = 1e-6 + 2.4e-7 d, takes four times both; the |p|^2 part is the point's slack,
   * already taken off its screened value; plus an absolute 1e-30 for values near float's underflow.
   */
  private float screenLimit(double bound, double queryNorm2) {
    if (bound == Double.POSITIVE_INFINITY) {
      return Float.POSITIVE_INFINITY;
    }
    double limit = bound + screenError * (bound + queryNorm2) + 1e-30;
    return Math.nextUp((float) limit);
  }

  /**
   * Float squared distances from {@code q} to points {@code [p0, pe)}, less each point's slack, into
   * {@code out[p0..pe)}; four dimensions per sweep, each loop indexing every array with the same
   * {@code j} so that the JIT vectorises it.
   */
  private void screen(float[] q, int p0, int pe, float[] out) {
    int d = 0;
    if (dims >= 4) { // the first sweep writes, the others add
      float[] c0 = byDim[0];
      float[] c1 = byDim[1];
      float[] c2 = byDim[2];
      float[] c3 = byDim[3];
      float x0 = q[0];
      float x1 = q[1];
      float x2 = q[2];
      float x3 = q[3];
      for (int j = p0; j < pe; j++) {
        float v0 = x0 - c0[j];
        float v1 = x1 - c1[j];
        float v2 = x2 - c2[j];
        float v3 = x3 - c3[j];
        out[j] = v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3;
      }
      d = 4;
    } else {
      java.util.Arrays.fill(out, p0, pe, 0f);
    }
    for (; d + 4 <= dims; d += 4) {
      float[] c0 = byDim[d];
      float[] c1 = byDim[d + 1];
      float[] c2 = byDim[d + 2];
      float[] c3 = byDim[d + 3];
      float x0 = q[d];
      float x1 = q[d + 1];
      float x2 = q[d + 2];
      float x3 = q[d + 3];
      for (int j = p0; j < pe; j++) {
        float v0 = x0 - c0[j];
        float v1 = x1 - c1[j];
        float v2 = x2 - c2[j];
        float v3 = x3 - c3[j];
        out[j] = out[j] + v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3;
      }
    }
    for (; d < dims; d++) {
      float[] c = byDim[d];
      float x = q[d];
      for (int j = p0; j < pe; j++) {
        float v = x - c[j];
        out[j] += v * v;
      }
    }
    for (int j = p0; j < pe; j++) {
      out[j] -= slack[j];
    }
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

    /** The bound a candidate must not exceed: the top's distance once full, else infinity. */
    double bound() {
      return full() ? dist[0] : Double.POSITIVE_INFINITY;
    }

    /** Whether entry a comes after entry b in (distance, index) order. */
    private boolean after(int a, int b) {
      return dist[a] > dist[b] || (dist[a] == dist[b] && idx[a] > idx[b]);
    }

    /** Keeps (d, i) when it is among the smallest by (distance, index). */
    void offer(double d, int i) {
      if (!full()) {
        int c = size++;
        dist[c] = d;
        idx[c] = i;
        while (c > 0) {
          int parent = (c - 1) >>> 1;
          if (!after(c, parent)) {
            break;
          }
          swap(parent, c);
          c = parent;
        }
      } else if (size > 0 && (d < dist[0] || (d == dist[0] && i < idx[0]))) {
        dist[0] = d;
        idx[0] = i;
        siftDown();
      }
    }

    /** The heap's entries in ascending (distance, index) order, distances square-rooted; empties the heap. */
    Result drain() {
      int n = size;
      int[] is = new int[n];
      double[] ds = new double[n];
      for (int i = n - 1; i >= 0; i--) {
        ds[i] = Math.sqrt(dist[0]);
        is[i] = idx[0];
        pop();
      }
      return new Result(is, ds);
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
        if (l < size && after(l, m)) {
          m = l;
        }
        if (r < size && after(r, m)) {
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
        // the same sums as distance2(points[p], q), in the same order; once the heap is full, a
        // partial total past its top cannot enter it (offer takes d < top, or d == top with a
        // smaller index), so the rest is skipped: the neighbours, their order and their distances
        // are unchanged
        double bound = heap.bound();
        double s = distance2(flat, i * dims, q, dims, bound);
        if (s <= bound) {
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
