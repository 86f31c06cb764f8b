package io.seqwatch.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every detector must do, checked on simulated shop traffic with labelled anomalies. A detector
 * module extends this once per detector name:
 *
 * <pre>{@code
 * class IsolationForestContractTest extends DetectorContractTest {
 *   protected String detectorName() { return "isolation-forest"; }
 * }
 * }</pre>
 */
public abstract class DetectorContractTest {
  private static final SimulatedData DATA =
      Simulator.builder().users(600).anomalyRate(0.08).seed(11).build().generate();

  @TempDir Path tmp;

  /** Name of the detector under test. */
  protected abstract String detectorName();

  /** Options for the detector (small and fast by default). */
  protected Map<String, String> options() {
    return Map.of();
  }

  /** Least ROC-AUC the detector must reach on the simulated test half. */
  protected double minimumRocAuc() {
    return 0.75;
  }

  protected Registries registries() {
    return Registries.discover();
  }

  protected final Pipeline pipeline(long seed) {
    return Pipeline.builder().registries(registries()).detector(detectorName()).options(options())
        .threshold("quantile:0.95").seed(seed).build();
  }

  private static List<List<BehaviorSequence>> split(Pipeline p) {
    List<BehaviorSequence> train = new ArrayList<>();
    List<BehaviorSequence> test = new ArrayList<>();
    for (BehaviorSequence s : p.sequences(DATA.events())) {
      (Math.floorMod(s.key().hashCode(), 2) == 0 ? train : test).add(s);
    }
    return List.of(train, test);
  }

  protected static Labels labels() {
    return DATA.labels();
  }

  private static double[] values(List<Score> scores) {
    return scores.stream().mapToDouble(Score::value).toArray();
  }

  /** One fitted pipeline per detector for the random-input property (fitting per try would be slow). */
  private static final Map<String, FittedPipeline> FITTED = new ConcurrentHashMap<>();

  @AfterContainer
  static void closeFitted() {
    FITTED.values().forEach(FittedPipeline::close);
    FITTED.clear();
  }

  /**
   * Whatever it is given (one-event sequences, identical timestamps, gaps of a year, actions and
   * items never seen in training, long bursts), a trained detector scores every sequence with a
   * finite number: no NaN or infinity ever reaches a threshold or an output file.
   */
  @Property(tries = 25)
  void noDetectorEmitsANonFiniteScoreOnRandomInputs(@ForAll("randomSequences") List<BehaviorSequence> seqs) {
    FittedPipeline f = FITTED.computeIfAbsent(detectorName(), n -> {
      Pipeline p = pipeline(1);
      return p.fit(split(p).get(0));
    });
    for (Score s : f.score(seqs)) {
      assertTrue(Double.isFinite(s.value()), detectorName() + " scored " + s.key() + " " + s.value());
    }
  }

  @Provide
  Arbitrary<List<BehaviorSequence>> randomSequences() {
    Arbitrary<String> action = Arbitraries.of("pv", "cart", "fav", "buy", "search", "click", "never-seen-action");
    Arbitrary<Long> gap = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 5_000),
        Arbitraries.longs().between(1, 400L * 86_400_000L));
    Arbitrary<String> item = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(2);
    Arbitrary<Double> price = Arbitraries.oneOf(Arbitraries.just(-1.0), Arbitraries.just(0.0),
        Arbitraries.doubles().between(0, 1e12));
    Arbitrary<List<BehaviorEvent>> events = Combinators.combine(action, gap, item, price)
        .as((a, g, i, pr) -> new BehaviorEvent("x", Optional.empty(), g, a, ActionType.fromAlias(a), Optional.of(i),
            Optional.of("c" + i.charAt(0)), pr < 0 ? OptionalDouble.empty() : OptionalDouble.of(pr), 0))
        .list().ofMinSize(1).ofMaxSize(60);
    return events.list().ofMinSize(1).ofMaxSize(4).map(all -> {
      List<BehaviorSequence> out = new ArrayList<>();
      for (int k = 0; k < all.size(); k++) {
        long t = 1_500_000_000_000L;
        List<BehaviorEvent> seq = new ArrayList<>();
        for (BehaviorEvent e : all.get(k)) {
          t += e.timestampMillis(); // the generated value is the gap to the previous event
          seq.add(new BehaviorEvent("random-" + k, e.sessionId(), t, e.action(), e.type(), e.itemId(), e.categoryId(),
              e.price(), 0));
        }
        out.add(new BehaviorSequence("random-" + k, seq));
      }
      return out;
    });
  }

  @Test
  void providerIsDiscoveredWithValidOptions() {
    DetectorProvider p = registries().detectors().find(detectorName());
    assertEquals(detectorName(), p.name());
    assertFalse(p.description().isBlank(), "description");
    Options defaults = Options.defaults(p.options());
    for (OptionSpec o : p.options()) {
      assertEquals(o.defaultValue(), defaults.asMap().get(o.name()));
      assertFalse(o.description().isBlank(), "description of option " + o.name());
    }
  }

  @Test
  void unknownOptionIsRejectedWithTheKnownOnes() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Pipeline.builder().registries(registries()).detector(detectorName())
            .option("no-such-option", "1").build());
    assertTrue(e.getMessage().startsWith("unknown option 'no-such-option'; known options: "), e.getMessage());
  }

  @Test
  void scoresAreFiniteAndRankAnomaliesHigher() {
    Pipeline p = pipeline(1);
    List<List<BehaviorSequence>> s = split(p);
    try (FittedPipeline f = p.fit(s.get(0))) {
      List<Score> scores = f.score(s.get(1));
      assertEquals(s.get(1).size(), scores.size());
      boolean[] y = new boolean[scores.size()];
      for (int i = 0; i < y.length; i++) {
        assertTrue(Double.isFinite(scores.get(i).value()), "finite score");
        y[i] = labels().label(scores.get(i).key()).orElseThrow();
      }
      double auc = Metrics.rocAuc(values(scores), y);
      assertTrue(auc >= minimumRocAuc(), detectorName() + " ROC-AUC " + auc + " < " + minimumRocAuc());
    }
  }

  @Test
  void equalSeedsGiveEqualScores() {
    Pipeline p = pipeline(5);
    List<List<BehaviorSequence>> s = split(p);
    try (FittedPipeline a = p.fit(s.get(0))) {
      double[] first = values(a.score(s.get(1)));
      // whatever ran in the JVM in between: another fit, and whatever else draws from shared generators
      try (FittedPipeline other = pipeline(6).fit(s.get(0))) {
        assertEquals(first.length, other.score(s.get(1)).size());
      }
      disturbSharedState();
      try (FittedPipeline b = pipeline(5).fit(s.get(0))) {
        assertArrayEquals(first, values(b.score(s.get(1))));
        assertEquals(a.threshold(), b.threshold());
      }
    }
  }

  /**
   * Called between two fits with equal seeds: an engine module draws from its engine's process-wide
   * generators here (and reseeds them), as other code in a user's JVM may, to show that a fit does
   * not depend on them.
   */
  protected void disturbSharedState() {}

  @Test
  void bundleRoundTripsToIdenticalScoresInFolderAndZip() throws IOException {
    Pipeline p = pipeline(3);
    List<List<BehaviorSequence>> s = split(p);
    try (FittedPipeline f = p.fit(s.get(0))) {
      double[] expected = values(f.score(s.get(1)));
      for (Path target : List.of(tmp.resolve("bundle"), tmp.resolve("bundle.zip"))) {
        f.save(target);
        try (FittedPipeline back = FittedPipeline.load(target, registries())) {
          assertArrayEquals(expected, values(back.score(s.get(1))), target.toString());
          assertEquals(f.threshold(), back.threshold());
          assertEquals(detectorName(), back.provenance().detector());
        }
      }
    }
  }

  @Test
  void provenanceNamesDetectorOptionsAndSeed() {
    Pipeline p = pipeline(9);
    try (FittedPipeline f = p.fit(split(p).get(0))) {
      assertEquals(detectorName(), f.provenance().detector());
      for (OptionSpec o : registries().detectors().find(detectorName()).options()) {
        assertTrue(f.provenance().options().containsKey(o.name()), "provenance has option " + o.name());
      }
      assertEquals(9, f.provenance().seed());
    }
  }

  @Test
  void corruptedWeightsAreRefusedByTheBundleAndByTheProvider() throws IOException {
    Pipeline p = pipeline(4);
    try (FittedPipeline f = p.fit(split(p).get(0))) {
      Path dir = tmp.resolve("m");
      f.save(dir);
      Path weights;
      try (Stream<Path> files = Files.list(dir.resolve("detector"))) {
        weights = files.findFirst().orElseThrow();
      }
      byte[] good = Files.readAllBytes(weights);
      byte[] bad = good.clone();
      bad[bad.length / 2] ^= 0x10;
      Files.write(weights, bad);
      ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir, registries()));
      assertTrue(e.getMessage().contains("is corrupt: detector/" + weights.getFileName()), e.getMessage());
      // the provider itself refuses truncated parameters, even without the bundle's checksums
      String name = weights.getFileName().toString();
      byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
      ArtifactReader reader = MemoryArtifacts.reader(Map.of(name, truncated));
      assertThrows(ModelFormatException.class,
          () -> registries().detectors().find(detectorName()).load(reader).close());
    }
  }

  @Test
  void concurrentScoringMatchesSequentialScoring() throws Exception {
    Pipeline p = pipeline(2);
    List<List<BehaviorSequence>> s = split(p);
    try (FittedPipeline f = p.fit(s.get(0))) {
      double[] expected = values(f.score(s.get(1)));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<double[]>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          futures.add(pool.submit(() -> {
            double[] out = new double[s.get(1).size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = f.score(s.get(1).get(i)).value();
            }
            return out;
          }));
        }
        for (Future<double[]> fu : futures) {
          assertArrayEquals(expected, fu.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void topAlertsCarryReadableReasons() {
    Pipeline p = pipeline(6);
    List<List<BehaviorSequence>> s = split(p);
    try (FittedPipeline f = p.fit(s.get(0))) {
      List<Score> top = f.score(s.get(1)).stream()
          .sorted(Comparator.comparingDouble(Score::value).reversed()).limit(5).toList();
      for (Score sc : top) {
        assertFalse(sc.explanation().contributions().isEmpty(), "reasons for " + sc.key());
        sc.explanation().contributions().forEach(c -> {
          assertFalse(c.reason().isBlank());
          assertTrue(c.reason().startsWith(c.name()), c.reason());
        });
      }
    }
  }
}
