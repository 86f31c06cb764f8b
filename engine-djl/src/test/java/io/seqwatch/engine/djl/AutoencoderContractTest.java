package io.seqwatch.engine.djl;

import java.util.Map;

/** The detector contract for {@code autoencoder}, with a small network and few epochs. */
class AutoencoderContractTest extends DjlContractTest {
  @Override
  protected String detectorName() {
    return "autoencoder";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("epochs", "15", "device", "cpu");
  }

  @Override
  protected double minimumRocAuc() {
    return 0.85;
  }
}
