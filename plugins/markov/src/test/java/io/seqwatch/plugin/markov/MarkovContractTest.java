package io.seqwatch.plugin.markov;

import io.seqwatch.core.testkit.DetectorContractTest;

class MarkovContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "markov";
  }

  /** On shop actions, pace and predictability matter: gap-aware tokens, two-sided typicality. */
  @Override
  protected java.util.Map<String, String> options() {
    return java.util.Map.of("gaps", "true", "aggregate", "typicality");
  }

  @Override
  protected double minimumRocAuc() {
    return 0.75;
  }
}
