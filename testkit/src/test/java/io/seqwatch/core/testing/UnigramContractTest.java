package io.seqwatch.core.testing;

import io.seqwatch.testkit.DetectorContractTest;

class UnigramContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "test-unigram";
  }

  @Override
  protected double minimumRocAuc() {
    return 0.6;
  }
}
