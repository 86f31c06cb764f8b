package io.seqwatch.plugin.forest;

import io.seqwatch.testkit.DetectorContractTest;

class IsolationForestContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "isolation-forest";
  }

  @Override
  protected double minimumRocAuc() {
    return 0.9;
  }
}
