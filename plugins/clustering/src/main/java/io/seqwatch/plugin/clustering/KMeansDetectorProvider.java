package io.seqwatch.plugin.clustering;

import io.seqwatch.api.FeatureVector;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.NeighborIndex;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code kmeans}: Lloyd's k-means with k-means++ seeding (Arthur and Vassilvitskii, 2007), best of
 * {@code n-init} runs by inertia; the score is the distance to the nearest centroid in standard
 * deviations.
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class KMeansDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "kmeans";
  }

  @Override
  public String description() {
    return "distance to the nearest k-means centroid (k-means++ init)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofInt("k", 8, "number of clusters"),
        OptionSpec.ofInt("max-iter", 100, "Lloyd iterations per run"),
        OptionSpec.ofInt("n-init", 3, "runs with different seeds; the lowest inertia wins"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    int k = o.getInt("k", 1, 10_000);
    int maxIter = o.getInt("max-iter", 1, 10_000);
    int nInit = o.getInt("n-init", 1, 100);
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      double[][] x = VectorModel.standardizedSample(v, stats, Integer.MAX_VALUE, t.seed());
      int kk = Math.min(k, x.length);
      Random r = new Random(t.seed());
      double[][] best = null;
      double bestInertia = Double.POSITIVE_INFINITY;
      for (int run = 0; run < nInit; run++) {
        double[][] c = lloyd(x, seed(x, kk, r), maxIter);
        double inertia = inertia(x, c);
        if (inertia < bestInertia) {
          bestInertia = inertia;
          best = c;
        }
        t.listener().progress(run + 1, nInit, "k-means runs");
      }
      return new CentroidModel(VectorModel.provenanceFor(this, o, t,
          Map.of("k", Integer.toString(kk), "inertia", Double.toString(bestInertia))), stats, best, 1.0);
    });
  }

  static double[][] seed(double[][] x, int k, Random r) {
    double[][] c = new double[k][];
    c[0] = x[r.nextInt(x.length)].clone();
    double[] d2 = new double[x.length];
    java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
    for (int j = 1; j < k; j++) {
      double total = 0;
      for (int i = 0; i < x.length; i++) {
        d2[i] = Math.min(d2[i], NeighborIndex.distance2(x[i], c[j - 1]));
        total += d2[i];
      }
      double u = r.nextDouble() * total;
      int pick = x.length - 1;
      for (int i = 0; i < x.length; i++) {
        u -= d2[i];
        if (u <= 0) {
          pick = i;
          break;
        }
      }
      c[j] = x[pick].clone();
    }
    return c;
  }

  static double[][] lloyd(double[][] x, double[][] c, int maxIter) {
    int k = c.length;
    int d = x[0].length;
    int[] assign = new int[x.length];
    for (int it = 0; it < maxIter; it++) {
      boolean changed = it == 0;
      for (int i = 0; i < x.length; i++) {
        int a = nearest(x[i], c);
        if (a != assign[i]) {
          assign[i] = a;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      double[][] sum = new double[k][d];
      int[] n = new int[k];
      for (int i = 0; i < x.length; i++) {
        n[assign[i]]++;
        for (int j = 0; j < d; j++) {
          sum[assign[i]][j] += x[i][j];
        }
      }
      for (int q = 0; q < k; q++) {
        if (n[q] > 0) {
          for (int j = 0; j < d; j++) {
            c[q][j] = sum[q][j] / n[q];
          }
        }
      }
    }
    return c;
  }

  static int nearest(double[] p, double[][] c) {
    int best = 0;
    double bd = Double.POSITIVE_INFINITY;
    for (int q = 0; q < c.length; q++) {
      double dd = NeighborIndex.distance2(p, c[q]);
      if (dd < bd) {
        bd = dd;
        best = q;
      }
    }
    return best;
  }

  static double inertia(double[][] x, double[][] c) {
    double s = 0;
    for (double[] p : x) {
      s += NeighborIndex.distance2(p, c[nearest(p, c)]);
    }
    return s;
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return CentroidModel.read(VectorModel.readModelFile(in, name()));
  }
}
