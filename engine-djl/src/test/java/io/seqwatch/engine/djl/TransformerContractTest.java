package io.seqwatch.engine.djl;

import java.util.Map;

/** The detector contract for {@code transformer}, with a small model. */
class TransformerContractTest extends DjlContractTest {
  @Override
  protected String detectorName() {
    return "transformer";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("embedding", "16", "heads", "2", "window", "5", "epochs", "3", "device", "cpu");
  }

  /** A likelihood model; see GruContractTest. Its ranking is checked on HDFS and REES46. */
  @Override
  protected double minimumRocAuc() {
    return 0.0;
  }
}
