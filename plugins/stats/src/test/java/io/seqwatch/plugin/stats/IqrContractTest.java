package io.seqwatch.plugin.stats;

import io.seqwatch.core.testkit.DetectorContractTest;

class IqrContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "iqr";
  }
}
