package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.api.Score;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.core.testing.HiddenDistanceProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers built on others (an ensemble's members, a per-segment policy's base) find them in the
 * registries the caller injected, at fit and at load, not only on the class path.
 */
class InjectedRegistriesTest {
  @TempDir Path tmp;

  private Registries withHiddenDetector() throws Exception {
    Path services = Files.createDirectories(tmp.resolve("plugin/META-INF/services"));
    Files.writeString(services.resolve("io.seqwatch.spi.DetectorProvider"), HiddenDistanceProvider.class.getName() + "\n",
        StandardCharsets.UTF_8);
    URLClassLoader loader = new URLClassLoader(new URL[] {tmp.resolve("plugin").toUri().toURL()},
        getClass().getClassLoader());
    return Registries.discover(loader);
  }

  @Test
  void anEnsembleFindsAMemberOnlyTheInjectedRegistriesHoldAtFitAndAtLoad() throws Exception {
    Registries injected = withHiddenDetector();
    assertTrue(injected.detectors().names().contains("test-hidden"));
    assertTrue(!Registries.discover().detectors().names().contains("test-hidden"));
    SimulatedData data = Simulator.builder().users(200).anomalyRate(0.05).seed(2).build().generate();
    Pipeline p = Pipeline.builder().registries(injected).detector("ensemble")
        .option("members", "test-hidden,test-distance").threshold("per-segment:base=quantile:0.95").build();
    List<BehaviorSequence> seqs = p.sequences(data.events());
    Path bundle = tmp.resolve("ensemble");
    List<Score> before;
    try (FittedPipeline f = p.fit(seqs)) {
      before = f.score(seqs, 1);
      f.save(bundle);
    }
    try (FittedPipeline back = FittedPipeline.load(bundle, injected)) {
      assertEquals(before, back.score(seqs, 1));
    }
    ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> FittedPipeline.load(bundle));
    assertTrue(e.getMessage().contains("'test-hidden'"), e.getMessage());
  }
}
