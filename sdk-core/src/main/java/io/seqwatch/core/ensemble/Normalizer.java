package io.seqwatch.core.ensemble;

import io.seqwatch.spi.support.Quantiles;
import java.util.Arrays;

/**
 * Maps one member's raw scores onto a common scale learnt from that member's training scores:
 * {@code score} = robust z ((s - median) / IQR, IQR floored), {@code rank} = the training percentile
 * (interpolated on a 1,001-point quantile grid; beyond the training maximum it keeps growing by
 * robust z, so extreme sequences stay ordered).
 *
 * <p>Thread-safety: immutable.
 */
final class Normalizer {
  static final int GRID = 1001;

  private final boolean rank;
  private final double[] grid;
  private final double median;
  private final double scale;

  Normalizer(boolean rank, double[] grid) {
    this.rank = rank;
    this.grid = grid;
    this.median = Quantiles.ofSorted(grid, 0.5);
    double iqr = Quantiles.ofSorted(grid, 0.75) - Quantiles.ofSorted(grid, 0.25);
    double range = grid[grid.length - 1] - grid[0];
    this.scale = Math.max(iqr, Math.max(range * 1e-3, 1e-12));
  }

  static Normalizer fit(boolean rank, double[] trainingScores) {
    double[] s = trainingScores.clone();
    Arrays.sort(s);
    double[] g = new double[GRID];
    for (int i = 0; i < GRID; i++) {
      g[i] = Quantiles.ofSorted(s, i / (double) (GRID - 1));
    }
    return new Normalizer(rank, g);
  }

  double[] grid() {
    return grid.clone();
  }

  boolean rank() {
    return rank;
  }

  double apply(double s) {
    double z = (s - median) / scale;
    if (!rank) {
      return z;
    }
    if (s > grid[grid.length - 1]) {
      return 1 + (s - grid[grid.length - 1]) / scale;
    }
    if (s <= grid[0]) {
      return 0;
    }
    int lo = 0;
    int hi = grid.length - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (grid[mid] < s) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    // last grid point below s, then interpolate within [grid[lo], grid[hi]]
    double span = grid[hi] - grid[lo];
    double frac = span > 0 ? (s - grid[lo]) / span : 0;
    return (lo + frac) / (grid.length - 1);
  }
}
