package io.seqwatch.plugin.stats;

import io.seqwatch.testkit.DetectorContractTest;

class IqrContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "iqr";
  }
}
