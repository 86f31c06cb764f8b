package io.seqwatch.plugin.stats;

import io.seqwatch.testkit.DetectorContractTest;

class ZScoreContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "zscore";
  }
}
