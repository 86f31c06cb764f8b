package io.seqwatch.plugin.svm;

import io.seqwatch.testkit.DetectorContractTest;

class OneClassSvmContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "ocsvm";
  }
}
