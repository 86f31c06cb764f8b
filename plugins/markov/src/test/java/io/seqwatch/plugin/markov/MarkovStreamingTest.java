package io.seqwatch.plugin.markov;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.testkit.SharedData;
import io.seqwatch.testkit.StreamingStress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code markov} streams on its carried context (one step per event) to exactly its batch scores. */
class MarkovStreamingTest {
  @TempDir Path dir;

  @Test
  void markovStreamsToItsBatchScoresThroughASnapshot() throws IOException {
    SimulatedData d = Simulator.builder().users(500).seed(21).build().generate();
    for (Map<String, String> options : List.of(Map.<String, String>of(),
        Map.of("gaps", "true", "aggregate", "typicality", "order", "2"))) {
      try (FittedPipeline p = Pipeline.builder().detector("markov").options(options).build().fitEvents(d.events())) {
        Map<String, Double> batch = new HashMap<>();
        for (Score s : p.scoreEvents(d.events())) {
          batch.put(s.key(), s.value());
        }
        List<BehaviorEvent> ordered = Preprocessor.keepDuplicates().apply(d.events());
        StreamingScorer a = StreamingScorer.builder(p).build();
        assertEquals("incremental", a.stateKind());
        ordered.subList(0, ordered.size() / 3).forEach(a::accept);
        Path snap = dir.resolve("markov.snapshot");
        a.snapshot(snap);
        StreamingScorer b = StreamingScorer.builder(p).build();
        b.restore(snap);
        ordered.subList(ordered.size() / 3, ordered.size()).forEach(b::accept);
        assertEquals(batch, b.scores(), options.toString());
      }
    }
  }

  @Test
  void fourThreadsOnTheRealTaobaoLogLoseNothingWithTheModelsCarriedState() throws Exception {
    Path log = SharedData.file("taobao/user_behavior_2h.csv").orElse(null);
    Assumptions.assumeTrue(log != null, "../shared/data/taobao is absent");
    List<BehaviorEvent> all = new ArrayList<>();
    EventReaders.forFormat("taobao").read(log, all::add, r -> {});
    List<BehaviorEvent> events = Preprocessor.keepDuplicates().apply(all.subList(0, 6_000));
    try (FittedPipeline p = Pipeline.builder().detector("markov").threshold("contamination:0.05").build()
        .fitEvents(all.subList(6_000, 30_000))) {
      assertEquals("incremental", StreamingScorer.builder(p).build().stateKind());
      for (StreamingStress.Setup setup : List.of(
          new StreamingStress.Setup(4, 1_000_000, Duration.ZERO, Duration.ZERO, 1, 0, 1),
          new StreamingStress.Setup(4, 1_000_000, Duration.ofSeconds(30), Duration.ZERO, 50, 0, 2),
          new StreamingStress.Setup(4, 1, Duration.ofSeconds(60), Duration.ZERO, 1, 10, 3),
          new StreamingStress.Setup(4, 2, Duration.ZERO, Duration.ofMinutes(10), 50, 0, 4),
          new StreamingStress.Setup(4, 1_000, Duration.ofSeconds(45), Duration.ofMinutes(10), 17, 20, 5))) {
        StreamingStress.Outcome o = StreamingStress.check(p, events, setup);
        if (setup.maxActors() < 10) {
          org.junit.jupiter.api.Assertions.assertTrue(o.stats().evicted() > 1_000, setup + ": " + o.stats());
        }
      }
    }
  }
}
