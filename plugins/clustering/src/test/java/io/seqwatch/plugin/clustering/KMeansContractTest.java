package io.seqwatch.plugin.clustering;

import io.seqwatch.testkit.DetectorContractTest;

class KMeansContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "kmeans";
  }
}
