package io.seqwatch.plugin.markov;

import io.seqwatch.testkit.DetectorContractTest;

class MarkovContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "markov";
  }

  /** On shop actions pace matters: gap-aware tokens; the default typical-set score is two-sided. */
  @Override
  protected java.util.Map<String, String> options() {
    return java.util.Map.of("gaps", "true");
  }

  @Override
  protected double minimumRocAuc() {
    return 0.75;
  }
}
