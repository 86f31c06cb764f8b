package io.seqwatch.plugin.clustering;

import io.seqwatch.core.testkit.DetectorContractTest;

class KMeansContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "kmeans";
  }
}
