package io.seqwatch.engine.djl;

import java.util.Map;

/** The detector contract for {@code masked-transformer}, with a small encoder. */
class MaskedTransformerContractTest extends DjlContractTest {
  @Override
  protected String detectorName() {
    return "masked-transformer";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("window", "8", "epochs", "1", "batch", "256", "device", "cpu");
  }

  /** A likelihood model; its ranking is checked on real data in MaskedTransformerTest. */
  @Override
  protected double minimumRocAuc() {
    return 0.0;
  }
}
