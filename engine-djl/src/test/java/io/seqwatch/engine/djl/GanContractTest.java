package io.seqwatch.engine.djl;

import java.util.Map;

/** The detector contract for {@code gan}, with few epochs. */
class GanContractTest extends DjlContractTest {
  @Override
  protected String detectorName() {
    return "gan";
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
