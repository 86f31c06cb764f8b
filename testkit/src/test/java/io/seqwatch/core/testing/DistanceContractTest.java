package io.seqwatch.core.testing;

import io.seqwatch.testkit.DetectorContractTest;

class DistanceContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "test-distance";
  }
}
