package io.seqwatch.engine.djl;

import java.util.Map;

/** The detector contract for {@code lstm-autoencoder}, with a small network and few epochs. */
class LstmAutoencoderContractTest extends DjlContractTest {
  @Override
  protected String detectorName() {
    return "lstm-autoencoder";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("hidden", "16", "embedding", "8", "length", "10", "epochs", "3", "device", "cpu");
  }

  /** A likelihood model on shop actions; see GruContractTest. Ranking is checked on HDFS. */
  @Override
  protected double minimumRocAuc() {
    return 0.0;
  }
}
