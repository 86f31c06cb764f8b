package io.seqwatch.plugin.stats;

import io.seqwatch.core.testkit.DetectorContractTest;

class MadContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "mad";
  }
}
