package io.seqwatch.plugin.clustering;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.NeighborIndex;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dbscan}: DBSCAN's core points (Ester et al., 1996) learnt from training data; a sequence
 * scores its distance to the nearest core point in units of {@code eps}, so scores above 1 are
 * exactly DBSCAN's noise, and the score still ranks how far out. {@code eps=0} picks eps as the
 * {@code eps-quantile} of the training points' distance to their {@code min-samples}-th neighbour.
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class DbscanDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "dbscan";
  }

  @Override
  public String description() {
    return "distance to the nearest DBSCAN core point in units of eps (> 1 = noise)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofDouble("eps", 0, "neighbourhood radius in standard deviations; 0 = automatic"),
        OptionSpec.ofInt("min-samples", 10, "points within eps (itself included) that make a core point"),
        OptionSpec.ofDouble("eps-quantile", 0.9, "automatic eps: this quantile of the min-samples-th neighbour distance"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    double eps0 = o.getDouble("eps", 0, 1e9);
    int minSamples = o.getInt("min-samples", 1, 100_000);
    double q = o.getDouble("eps-quantile", 0.01, 1);
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      double[][] x = VectorModel.standardizedSample(v, stats, Integer.MAX_VALUE, t.seed());
      NeighborIndex index = new NeighborIndex(x);
      double eps = eps0;
      if (eps == 0) {
        double[] kd = new double[x.length];
        int kk = Math.min(minSamples, x.length);
        for (int i = 0; i < x.length; i++) {
          double[] d = index.nearest(x[i], kk, -1).distances();
          kd[i] = d[d.length - 1];
        }
        eps = Math.max(1e-6, Quantiles.of(kd, q));
      }
      List<double[]> cores = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        if (index.countWithin(x[i], eps, minSamples) >= minSamples) {
          cores.add(x[i]);
        }
        if ((i + 1) % 5000 == 0) {
          t.listener().progress(i + 1, x.length, "core points");
        }
      }
      if (cores.isEmpty()) {
        throw new ConfigurationException("dbscan found no core point with eps=" + eps + " and min-samples="
            + minSamples + " on " + x.length + " sequences; raise eps or lower min-samples");
      }
      t.listener().progress(x.length, x.length, cores.size() + " core points");
      return new CentroidModel(VectorModel.provenanceFor(this, o, t,
          Map.of("eps", Double.toString(eps), "core-points", Integer.toString(cores.size()))),
          stats, cores.toArray(new double[0][]), eps);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return CentroidModel.read(VectorModel.readModelFile(in, name()));
  }
}
