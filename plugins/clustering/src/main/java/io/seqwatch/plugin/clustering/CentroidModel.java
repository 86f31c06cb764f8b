package io.seqwatch.plugin.clustering;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.NeighborIndex;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;

/**
 * Reference points in standardised space (k-means centroids or DBSCAN core points); the score is
 * the distance to the nearest one divided by {@code unit} (1 for k-means, eps for DBSCAN).
 * Explanation: per feature, the absolute difference to that nearest point in standard deviations.
 *
 * <p>Thread-safety: immutable, safe for concurrent scoring.
 */
final class CentroidModel extends VectorModel {
  private final double[][] centers;
  private final double unit;
  private final NeighborIndex index;

  CentroidModel(ModelProvenance p, FeatureStatistics stats, double[][] centers, double unit) {
    super(p, stats);
    if (centers.length == 0 || !(unit > 0)) {
      throw new ModelFormatException(p.detector() + " model: no reference points or a non-positive unit " + unit);
    }
    this.centers = centers;
    this.unit = unit;
    this.index = new NeighborIndex(centers);
  }

  @Override
  protected double score(double[] x) {
    return index.nearest(statistics().standardize(x), 1, -1).distances()[0] / unit;
  }

  @Override
  protected double[] contributions(double[] x) {
    double[] z = statistics().standardize(x);
    double[] c = centers[index.nearest(z, 1, -1).indices()[0]];
    double[] out = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      out[j] = Math.abs(z[j] - c[j]);
    }
    return out;
  }

  @Override
  protected void writeParameters(Parameters.Builder b) {
    int d = centers[0].length;
    double[] flat = new double[centers.length * d];
    for (int i = 0; i < centers.length; i++) {
      System.arraycopy(centers[i], 0, flat, i * d, d);
    }
    b.put("centers", flat).put("unit", unit);
  }

  static CentroidModel read(Parameters p) {
    FeatureStatistics stats = FeatureStatistics.readFrom(p);
    int d = stats.schema().size();
    double[] flat = p.doubles("centers");
    if (d == 0 || flat.length == 0 || flat.length % d != 0) {
      throw new ModelFormatException("centers table does not match " + d + " features");
    }
    double[][] c = new double[flat.length / d][];
    for (int i = 0; i < c.length; i++) {
      c[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
    }
    return new CentroidModel(readProvenance(p), stats, c, p.doubleValue("unit"));
  }
}
