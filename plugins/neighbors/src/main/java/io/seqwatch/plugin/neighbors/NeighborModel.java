package io.seqwatch.plugin.neighbors;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.NeighborIndex;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;

/**
 * Training points in standardised space with a k-d tree, scored by {@code knn} (distance to the
 * k-th nearest neighbour, or the mean of the k distances) or {@code lof} (Breunig et al., 2000: the
 * neighbours' mean local reachability density over the point's own; about 1 inside a cluster, well
 * above 1 for outliers). Explanation: per feature, the mean absolute difference to the k neighbours
 * in standard deviations.
 *
 * <p>Thread-safety: immutable, safe for concurrent scoring.
 */
final class NeighborModel extends VectorModel {
  private final String method;
  private final int k;
  private final boolean meanDistance;
  private final double[][] points;
  private final NeighborIndex index;
  private final double[] kDistance;
  private final double[] lrd;
  private final double floor;

  NeighborModel(ModelProvenance p, FeatureStatistics stats, String method, int k, boolean meanDistance,
      double[][] points, double[] kDistance, double[] lrd) {
    this(p, stats, method, k, meanDistance, new NeighborIndex(points), kDistance, lrd);
  }

  /** A model over an index already built (the fit's), whose points it keeps. */
  NeighborModel(ModelProvenance p, FeatureStatistics stats, String method, int k, boolean meanDistance,
      NeighborIndex index, double[] kDistance, double[] lrd) {
    super(p, stats);
    double[][] points = index.points();
    if (points.length == 0 || (method.equals("lof") && (kDistance.length != points.length || lrd.length != points.length))) {
      throw new ModelFormatException(method + " model: " + points.length + " points but " + kDistance.length
          + " k-distances and " + lrd.length + " densities");
    }
    this.method = method;
    this.k = k;
    this.meanDistance = meanDistance;
    this.points = points;
    this.index = index;
    this.kDistance = kDistance;
    this.lrd = lrd;
    this.floor = densityFloor(kDistance);
  }

  /** A thousandth of the median positive k-distance (1e-10 when there is none). */
  static double densityFloor(double[] kDistance) {
    double[] pos = java.util.Arrays.stream(kDistance).filter(d -> d > 0).sorted().toArray();
    return pos.length == 0 ? 1e-10 : 1e-3 * pos[pos.length / 2];
  }

  /**
   * Local reachability density of a point from its neighbours. The mean reachability distance is
   * floored at {@code floor} (a thousandth of the median k-distance): duplicate points would
   * otherwise get an infinite density and make every point near them look like an outlier.
   */
  static double lrd(NeighborIndex.Result r, double[] kDistance, double floor) {
    double sum = 0;
    for (int i = 0; i < r.indices().length; i++) {
      sum += Math.max(kDistance[r.indices()[i]], r.distances()[i]);
    }
    double mean = sum / Math.max(1, r.indices().length);
    return 1 / Math.max(mean, floor);
  }

  @Override
  protected double score(double[] x) {
    return score(index.nearest(statistics().standardize(x), k, -1));
  }

  /** All rows' neighbours in one batch (a blocked scan in many dimensions): the same scores as row by row. */
  @Override
  protected double[] scoreRows(double[][] rows) {
    double[][] z = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      z[i] = statistics().standardize(rows[i]);
    }
    NeighborIndex.Result[] r = index.nearest(z, k, false);
    double[] s = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      s[i] = score(r[i]);
    }
    return s;
  }

  private double score(NeighborIndex.Result r) {
    if (method.equals("knn")) {
      double[] d = r.distances();
      if (!meanDistance) {
        return d[d.length - 1];
      }
      double s = 0;
      for (double v : d) {
        s += v;
      }
      return s / d.length;
    }
    double own = lrd(r, kDistance, floor);
    double sum = 0;
    for (int i : r.indices()) {
      sum += lrd[i];
    }
    return sum / r.indices().length / own;
  }

  @Override
  protected double[] contributions(double[] x) {
    double[] z = statistics().standardize(x);
    NeighborIndex.Result r = index.nearest(z, k, -1);
    double[] c = new double[z.length];
    for (int i : r.indices()) {
      for (int j = 0; j < z.length; j++) {
        c[j] += Math.abs(z[j] - points[i][j]) / r.indices().length;
      }
    }
    return c;
  }

  @Override
  protected void writeParameters(Parameters.Builder b) {
    int d = points[0].length;
    double[] flat = new double[points.length * d];
    for (int i = 0; i < points.length; i++) {
      System.arraycopy(points[i], 0, flat, i * d, d);
    }
    b.put("method", method).put("k", k).put("mean-distance", meanDistance ? 1 : 0).put("points", flat)
        .put("k-distance", kDistance).put("lrd", lrd);
  }

  static NeighborModel read(Parameters p, String method) {
    FeatureStatistics stats = FeatureStatistics.readFrom(p);
    int d = stats.schema().size();
    double[] flat = p.doubles("points");
    if (d == 0 || flat.length % d != 0 || !p.string("method").equals(method)) {
      throw new ModelFormatException(method + " model: point table does not match " + d + " features");
    }
    double[][] pts = new double[flat.length / d][];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
    }
    return new NeighborModel(readProvenance(p), stats, method, p.intValue("k"), p.longValue("mean-distance") != 0,
        pts, p.doubles("k-distance"), p.doubles("lrd"));
  }
}
