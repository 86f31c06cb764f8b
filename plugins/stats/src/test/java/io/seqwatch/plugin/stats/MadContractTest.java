package io.seqwatch.plugin.stats;

import io.seqwatch.testkit.DetectorContractTest;

class MadContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "mad";
  }
}
