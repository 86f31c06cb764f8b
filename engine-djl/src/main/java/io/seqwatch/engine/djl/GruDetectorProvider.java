package io.seqwatch.engine.djl;

/**
 * {@code gru}: next-action prediction with gated recurrent units (DeepLog style) on DJL/PyTorch.
 *
 * <p>Thread-safety: stateless.
 */
public final class GruDetectorProvider extends NextActionDetectorProvider {
  @Override
  String cell() {
    return "gru";
  }

  @Override
  public String description() {
    return "GRU next-action model (DJL PyTorch): per-event NLL and top-k misses, least likely events as reasons";
  }
}
