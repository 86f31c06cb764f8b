package io.seqwatch.plugin.neighbors;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shared provider logic of {@code knn} and {@code lof}: standardise, subsample to {@code max-train}
 * points (seeded), index, and for {@code lof} precompute every training point's k-distance and local
 * reachability density.
 *
 * <p>Thread-safety: stateless.
 */
abstract class NeighborDetectorProvider implements DetectorProvider {
  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> o = new ArrayList<>(List.of(
        OptionSpec.ofInt("k", 20, "number of neighbours"),
        OptionSpec.ofInt("max-train", 100_000, "most training points kept (a seeded sample beyond that)")));
    o.addAll(extraOptions());
    return o;
  }

  List<OptionSpec> extraOptions() {
    return List.of();
  }

  @Override
  public Detector create(Options o) {
    int k = o.getInt("k", 1, 1000);
    int maxTrain = o.getInt("max-train", 2, 10_000_000);
    boolean mean = o.asMap().containsKey("distance") && o.getString("distance").equals("mean");
    if (o.asMap().containsKey("distance") && !mean && !o.getString("distance").equals("kth")) {
      throw new io.seqwatch.api.ConfigurationException("option distance=" + o.getString("distance") + " is not kth or mean");
    }
    return Detector.of(name(), Representation.FEATURES, t -> fit(t, o, k, maxTrain, mean));
  }

  private Model fit(TrainingSet t, Options o, int k, int maxTrain, boolean mean) {
    List<FeatureVector> v = VectorModel.vectors(t);
    FeatureStatistics stats = FeatureStatistics.of(v);
    double[][] pts = VectorModel.standardizedSample(v, stats, maxTrain, t.seed());
    int kk = Math.min(k, Math.max(1, pts.length - 1));
    double[] kdist = new double[0];
    double[] lrd = new double[0];
    NeighborIndex index = new NeighborIndex(pts);
    if (name().equals("lof")) {
      NeighborIndex.Result[] nn = index.nearest(pts, kk, true);
      kdist = new double[pts.length];
      for (int i = 0; i < pts.length; i++) {
        kdist[i] = nn[i].distances().length == 0 ? 0 : nn[i].distances()[nn[i].distances().length - 1];
      }
      lrd = new double[pts.length];
      double floor = NeighborModel.densityFloor(kdist);
      for (int i = 0; i < pts.length; i++) {
        lrd[i] = NeighborModel.lrd(nn[i], kdist, floor);
      }
    }
    t.listener().progress(1, 1, "indexed " + pts.length + " points");
    return new NeighborModel(VectorModel.provenanceFor(this, o, t,
        Map.of("points", Integer.toString(pts.length), "features", Integer.toString(stats.schema().size()))),
        stats, name(), kk, mean, index, kdist, lrd);
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return NeighborModel.read(VectorModel.readModelFile(in, name()), name());
  }
}
