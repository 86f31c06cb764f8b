package io.seqwatch.plugin.neighbors;

/**
 * {@code lof}: local outlier factor against the training sequences (novelty detection): the
 * neighbours' mean local reachability density over the sequence's own.
 *
 * <p>Thread-safety: stateless.
 */
public final class LofDetectorProvider extends NeighborDetectorProvider {
  @Override
  public String name() {
    return "lof";
  }

  @Override
  public String description() {
    return "local outlier factor: neighbours' density over the sequence's own (exact k-d tree)";
  }
}
