package io.seqwatch.plugin.stats;

import io.seqwatch.core.testkit.DetectorContractTest;

class HbosContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "hbos";
  }
}
