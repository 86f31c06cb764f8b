package io.seqwatch.plugin.neighbors;

import io.seqwatch.core.testkit.DetectorContractTest;

class LofContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "lof";
  }
}
