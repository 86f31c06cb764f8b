package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreenTest {
  @TempDir Path dir;

  @Test
  void theScreenLeavesOutItsShareAndTheBundleSaysSo() throws Exception {
    SimulatedData d = Simulator.builder().users(400).anomalyRate(0.05).seed(3).build().generate();
    Pipeline p = Pipeline.builder().detector("test-unigram").screen("test-distance:0.1").build();
    List<BehaviorSequence> training = p.sequences(d.events());
    try (FittedPipeline f = p.fit(training)) {
      int out = Integer.parseInt(f.trainingSummary().get("screened_out"));
      // contamination:0.1 flags the scores above the 90th percentile
      assertTrue(out >= 36 && out <= 40, "screened out " + out);
      assertEquals(training.size() - out, Integer.parseInt(f.trainingSummary().get("sequences")));
      assertEquals("test-distance:0.1", f.trainingSummary().get("screened_by"));
      f.save(dir.resolve("m"));
    }
    try (FittedPipeline back = FittedPipeline.load(dir.resolve("m"))) {
      assertEquals("test-distance:0.1", back.trainingSummary().get("screened_by"));
    }
  }

  @Test
  void badScreensAreRefusedWhenThePipelineIsBuilt() {
    assertEquals("screen must be name:share, for example isolation-forest:0.05: test-distance",
        assertThrows(ConfigurationException.class, () -> Pipeline.builder().screen("test-distance")).getMessage());
    assertEquals("screen share must be in (0, 0.5]: 0.9",
        assertThrows(ConfigurationException.class, () -> Pipeline.builder().screen("test-distance:0.9")).getMessage());
    assertEquals("screen share is not a number: test-distance:lots",
        assertThrows(ConfigurationException.class, () -> Pipeline.builder().screen("test-distance:lots")).getMessage());
    assertThrows(io.seqwatch.api.ProviderNotFoundException.class,
        () -> Pipeline.builder().detector("test-unigram").screen("no-such:0.05").build());
  }
}
