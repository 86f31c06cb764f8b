package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Next-action models stream with their own carried state (the last window and running NLL), one
 * padded pass per event, and end every sequence with its batch score to the last bit; the state
 * survives a snapshot.
 */
class IncrementalStreamingTest {
  @TempDir Path dir;

  private static void streamEqualsBatch(String detector, Map<String, String> options, Path log, Path dir)
      throws IOException {
    streamEqualsBatch(detector, options, Map.of(), log, dir);
  }

  private static void streamEqualsBatch(String detector, Map<String, String> options, Map<String, String> encoding,
      Path log, Path dir) throws IOException {
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat(log.toString().contains("rees46") ? "rees46" : "taobao").read(log, events::add, r -> {});
    streamEqualsBatch(detector, options, encoding, events, dir);
  }

  private static void streamEqualsBatch(String detector, Map<String, String> options, Map<String, String> encoding,
      List<BehaviorEvent> events, Path dir) throws IOException {
    Pipeline.Builder b = Pipeline.builder().detector(detector).options(options);
    encoding.forEach(b::representationOption);
    try (FittedPipeline p = b.build().fitEvents(events)) {
      Map<String, Double> expected = new HashMap<>();
      for (Score s : p.scoreEvents(events)) {
        expected.put(s.key(), s.value());
      }
      List<BehaviorEvent> ordered = Preprocessor.keepDuplicates().apply(events);
      int half = ordered.size() / 2;
      StreamingScorer first = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build(); // the log spans days
      assertEquals("incremental", first.stateKind());
      ordered.subList(0, half).forEach(first::accept);
      Path snap = dir.resolve(detector + ".snapshot");
      first.snapshot(snap);
      StreamingScorer second = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build();
      second.restore(snap);
      ordered.subList(half, ordered.size()).forEach(second::accept);
      Map<String, Double> streamed = second.scores();
      assertEquals(expected.keySet(), streamed.keySet());
      expected.forEach((k, v) -> assertEquals(v, streamed.get(k), 0.0, detector + " " + k));
      assertTrue(second.stats().bytesPerSequence() < 2_000, second.stats().toString());
    }
  }

  @Test
  void transformerFusingEveryAttributeKindStreamsToItsBatchScores() throws IOException {
    // user agent, query trigrams, a numeric item attribute and a profile attribute ride in the state
    streamEqualsBatch("transformer", Map.of("embedding", "16", "epochs", "1", "attribute-surprise", "true",
        "device", "cpu"), Map.of(), io.seqwatch.testkit.MultimodalEvents.of(40, 5), dir);
  }

  @Test
  void gruStreamsToItsBatchScoresOnTheRealTaobaoLog() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_43users.csv").isPresent(), "../shared/data is absent");
    streamEqualsBatch("gru", Map.of("hidden", "16", "layers", "1", "epochs", "1", "device", "cpu"),
        SharedData.file("taobao/user_behavior_43users.csv").orElseThrow(), dir);
  }

  @Test
  void batchesStepManySequencesPerPassAndStillEndOnTheBatchScores() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_43users.csv").isPresent(), "../shared/data is absent");
    for (String detector : List.of("gru", "transformer")) {
      List<BehaviorEvent> events = new ArrayList<>();
      EventReaders.forFormat("taobao").read(SharedData.file("taobao/user_behavior_43users.csv").orElseThrow(),
          events::add, r -> {});
      Map<String, String> options = detector.equals("gru")
          ? Map.of("hidden", "16", "layers", "1", "epochs", "1", "device", "cpu")
          : Map.of("embedding", "16", "epochs", "1", "device", "cpu");
      try (FittedPipeline p = Pipeline.builder().detector(detector).options(options).threshold("contamination:0.1")
          .build().fitEvents(events)) {
        Map<String, Double> expected = new HashMap<>();
        for (Score s : p.scoreEvents(events)) {
          expected.put(s.key(), s.value());
        }
        List<BehaviorEvent> ordered = Preprocessor.keepDuplicates().apply(events);
        StreamingScorer one = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build();
        java.util.Set<String> oneAlerts = new java.util.TreeSet<>();
        ordered.forEach(e -> one.accept(e).forEach(a -> oneAlerts.add(a.key() + "@" + a.at() + " " + a.score())));
        StreamingScorer batched = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build();
        java.util.Set<String> batchAlerts = new java.util.TreeSet<>();
        for (int from = 0; from < ordered.size(); from += 2_000) {
          batched.acceptAll(ordered.subList(from, Math.min(ordered.size(), from + 2_000)))
              .forEach(a -> batchAlerts.add(a.key() + "@" + a.at() + " " + a.score()));
        }
        Map<String, Double> streamed = batched.scores();
        assertEquals(expected.keySet(), streamed.keySet());
        expected.forEach((k, v) -> assertEquals(v, streamed.get(k), 0.0, detector + " " + k));
        assertEquals(oneAlerts, batchAlerts, detector);
        assertTrue(!batchAlerts.isEmpty(), detector + " raised no alerts");
      }
    }
  }

  @Test
  void lstmOnActionGapTokensStreamsToItsBatchScores() throws IOException {
    // the gap before each streamed event is taken from the previous one, as the batch encoder does
    assumeTrue(SharedData.file("taobao/user_behavior_43users.csv").isPresent(), "../shared/data is absent");
    streamEqualsBatch("lstm", Map.of("hidden", "16", "layers", "1", "epochs", "1", "aggregate", "typicality",
        "device", "cpu"), Map.of("token", "action+gap"), SharedData.file("taobao/user_behavior_43users.csv").orElseThrow(), dir);
  }

  @Test
  void transformerStreamsToItsBatchScoresOnRees46() throws IOException {
    assumeTrue(SharedData.file("rees46/events_oct_sample.csv").isPresent(), "../shared/data is absent");
    streamEqualsBatch("transformer", Map.of("embedding", "16", "epochs", "1", "aggregate", "typicality", "device", "cpu"),
        SharedData.file("rees46/events_oct_sample.csv").orElseThrow(), dir);
  }
}
