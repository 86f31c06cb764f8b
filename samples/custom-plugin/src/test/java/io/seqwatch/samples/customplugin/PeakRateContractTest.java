package io.seqwatch.samples.customplugin;

import io.seqwatch.testkit.DetectorContractTest;

/** A vendor plugin runs the same contract kit as the built-in detectors. */
class PeakRateContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "peak-rate";
  }

  @Override
  protected double minimumRocAuc() {
    return 0.6;
  }
}
