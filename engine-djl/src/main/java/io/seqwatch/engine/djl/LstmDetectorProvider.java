package io.seqwatch.engine.djl;

/**
 * {@code lstm}: next-action prediction with long short-term memory (DeepLog: LSTM 2x64, top-9;
 * window 6 by default, which beat DeepLog's 10 on HDFS) on DJL/PyTorch.
 *
 * <p>Thread-safety: stateless.
 */
public final class LstmDetectorProvider extends NextActionDetectorProvider {
  @Override
  String cell() {
    return "lstm";
  }

  @Override
  public String description() {
    return "LSTM next-action model (DJL PyTorch): per-event NLL and top-k misses, least likely events as reasons";
  }
}
