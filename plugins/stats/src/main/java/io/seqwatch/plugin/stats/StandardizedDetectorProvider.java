package io.seqwatch.plugin.stats;

import io.seqwatch.api.FeatureVector;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Shared provider logic of {@code zscore} and {@code mad}: fit a center and a scale per feature.
 *
 * <p>Thread-safety: stateless.
 */
abstract class StandardizedDetectorProvider implements DetectorProvider {
  private static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.ofString("aggregate", "rms", "combine per-feature deviations: rms, max or mean"),
      OptionSpec.ofDouble("clip", 50, "cap on one feature's deviation, in scale units"));

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  /** Center of feature {@code j}. */
  abstract double center(FeatureStatistics stats, int j);

  /** Scale of feature {@code j} before the floor. */
  abstract double scale(FeatureStatistics stats, double[] column, int j);

  @Override
  public Detector create(Options o) {
    Aggregate aggregate = Aggregate.parse(o.getString("aggregate"));
    double clip = o.getDouble("clip", 1e-6, 1e12);
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      int d = stats.schema().size();
      double[] center = new double[d];
      double[] scale = new double[d];
      double[] col = new double[v.size()];
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < col.length; i++) {
          col[i] = v.get(i).get(j);
        }
        center[j] = center(stats, j);
        scale[j] = StandardizedModel.floor(scale(stats, col, j), center[j]);
      }
      t.listener().progress(1, 1, "fitted " + d + " features");
      return new StandardizedModel(VectorModel.provenanceFor(this, o, t, Map.of("features", Integer.toString(d))),
          stats, center, scale, clip, aggregate);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return StandardizedModel.read(VectorModel.readModelFile(in, name()));
  }
}
