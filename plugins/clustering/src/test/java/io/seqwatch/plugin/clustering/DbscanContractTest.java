package io.seqwatch.plugin.clustering;

import io.seqwatch.testkit.DetectorContractTest;

class DbscanContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "dbscan";
  }
}
