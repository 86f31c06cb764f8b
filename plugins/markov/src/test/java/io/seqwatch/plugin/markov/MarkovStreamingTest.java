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
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
}
