package io.seqwatch.plugin.neighbors;

import io.seqwatch.spi.OptionSpec;
import java.util.List;

/**
 * {@code knn}: distance (in standard deviations) to the k-th nearest training sequence, or the mean
 * distance to the k nearest ({@code distance=mean}).
 *
 * <p>Thread-safety: stateless.
 */
public final class KnnDetectorProvider extends NeighborDetectorProvider {
  @Override
  public String name() {
    return "knn";
  }

  @Override
  public String description() {
    return "distance to the k-th nearest training neighbour (exact k-d tree)";
  }

  @Override
  List<OptionSpec> extraOptions() {
    return List.of(OptionSpec.ofString("distance", "kth", "kth (distance to the k-th) or mean (of the k)"));
  }
}
