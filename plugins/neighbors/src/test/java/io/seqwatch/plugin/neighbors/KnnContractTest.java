package io.seqwatch.plugin.neighbors;

import io.seqwatch.testkit.DetectorContractTest;

class KnnContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "knn";
  }
}
