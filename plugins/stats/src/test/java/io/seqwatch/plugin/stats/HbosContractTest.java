package io.seqwatch.plugin.stats;

import io.seqwatch.testkit.DetectorContractTest;

class HbosContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "hbos";
  }
}
