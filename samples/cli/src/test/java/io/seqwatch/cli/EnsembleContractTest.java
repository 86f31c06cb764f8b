package io.seqwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.testkit.DetectorContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ensemble, which lives in sdk-core, run against real plugin members (all on this class path). */
class EnsembleContractTest extends DetectorContractTest {
  @Override
  protected String detectorName() {
    return "ensemble";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("members", "isolation-forest,hbos,lof", "member-options", "isolation-forest.trees=50,lof.k=15");
  }

  @Override
  protected double minimumRocAuc() {
    return 0.9;
  }

  @Test
  void membersMustShareARepresentationAndExist() {
    ConfigurationException mixed = assertThrows(ConfigurationException.class,
        () -> Pipeline.builder().detector("ensemble").option("members", "zscore,markov").build());
    assertEquals("ensemble members must share one representation: zscore needs FEATURES, markov needs SEQUENCE",
        mixed.getMessage());
    ConfigurationException unknown = assertThrows(ConfigurationException.class,
        () -> Pipeline.builder().detector("ensemble").option("members", "zscore,nope").build());
    assertTrue(unknown.getMessage().startsWith("Unknown detector 'nope'. Found: "), unknown.getMessage());
    ConfigurationException weights = assertThrows(ConfigurationException.class,
        () -> Pipeline.builder().detector("ensemble").option("members", "zscore,hbos").option("weights", "1").build());
    assertEquals("weights has 1 values for 2 members", weights.getMessage());
  }
}
