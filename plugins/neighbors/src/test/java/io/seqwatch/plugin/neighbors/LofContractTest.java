package io.seqwatch.plugin.neighbors;

import io.seqwatch.testkit.DetectorContractTest;

class LofContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "lof";
  }
}
