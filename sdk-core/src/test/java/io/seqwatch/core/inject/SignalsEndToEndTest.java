package io.seqwatch.core.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.features.BehaviorFeatureExtractor;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.EventWriter;
import io.seqwatch.core.io.ReadSummary;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.core.testkit.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic signals end to end on a real log: injected with device, IP and user-agent attributes,
 * written as JSON lines and read back, trained with the signal features chosen from the data, saved
 * and loaded, and streamed to the same scores as in batch, also across a snapshot.
 */
class SignalsEndToEndTest {
  @TempDir Path tmp;

  private static List<BehaviorEvent> rees46() throws IOException {
    Optional<Path> f = SharedData.file("rees46/events_oct_sample.csv");
    assumeTrue(f.isPresent(), "../shared/data is absent: skipping the real-data check");
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("rees46").read(f.get(), events::add, r -> { });
    return events;
  }

  @Test
  void signalsAreDeterministicPerActorAndLeaveTheAttacksAndLabelsAsWithout() throws IOException {
    List<BehaviorEvent> real = rees46();
    Injector.Injected plain = Injector.builder().rate(0.05).seed(2).build().inject(real);
    Injector.Injected with = Injector.builder().rate(0.05).seed(2).signals(true).build().inject(real);
    assertEquals(plain.labels().asMap(), with.labels().asMap());
    assertEquals(plain.attacks().size(), with.attacks().size());
    for (int i = 0; i < plain.attacks().size(); i++) {
      assertEquals(plain.attacks().get(i), with.attacks().get(i).withAttributes(plain.attacks().get(i).attributes()));
      assertTrue(with.attacks().get(i).attributes().has(Attributes.IP));
    }
    // a real actor's signals do not depend on the order of the log
    List<BehaviorEvent> shuffled = new ArrayList<>(real);
    Collections.shuffle(shuffled, new java.util.Random(5));
    Map<String, Set<Attributes>> a = byActor(with.real(real));
    Map<String, Set<Attributes>> b = byActor(with.real(shuffled));
    assertEquals(a, b);
    assertEquals(plain.merged(real).size(), with.merged(real).size());
    // the brand and category code REES46 carries survive next to the signals
    assertTrue(with.real(real).stream().anyMatch(e -> e.attributes().has("brand") && e.attributes().has(Attributes.DEVICE)));
  }

  private static Map<String, Set<Attributes>> byActor(List<BehaviorEvent> events) {
    Map<String, Set<Attributes>> m = new HashMap<>();
    events.forEach(e -> m.computeIfAbsent(e.actorId(), k -> new HashSet<>()).add(e.attributes()));
    return m;
  }

  @Test
  void aLogWithSignalsTrainsSavesLoadsAndStreamsAsInBatch() throws IOException {
    List<BehaviorEvent> real = rees46();
    Injector.Injected inj = Injector.builder().rate(0.05).seed(1).signals(true).build().inject(real);
    // written as JSON lines and read back, as `seqwatch inject --signals` and `train --format jsonl` do
    EventWriter w = EventWriter.forFormat("jsonl");
    StringBuilder text = new StringBuilder();
    inj.merged(real).forEach(e -> text.append(w.line(e)).append('\n'));
    List<BehaviorEvent> log = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("jsonl").read(new BufferedReader(new StringReader(text.toString())),
        log::add, r -> { });
    assertEquals(s.read(), s.accepted());
    assertEquals((long) log.size(), s.attributes().get("ip (categorical)"), "every event has an address");
    assertEquals(Map.of(), s.ignored());
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(log)) {
      BehaviorFeatureExtractor x = (BehaviorFeatureExtractor) p.featureExtractor().orElseThrow();
      assertEquals("device,ip,user-agent", x.signals().spec(), "query: no search events in this log");
      assertTrue(x.schema().names().containsAll(List.of("distinct_devices", "ip_switch_rate", "non_browser_share")));
      Map<String, Double> batch = new HashMap<>();
      for (Score sc : p.scoreEvents(log)) {
        batch.put(sc.key(), sc.value());
      }
      Path bundle = tmp.resolve("model");
      p.save(bundle);
      try (FittedPipeline back = FittedPipeline.load(bundle)) {
        assertEquals(x.schema(), back.featureExtractor().orElseThrow().schema());
        for (Score sc : back.scoreEvents(log)) {
          assertEquals(batch.get(sc.key()), sc.value(), 0.0, sc.key());
        }
        // streamed one event at a time, with a snapshot and restore half way: the batch's scores
        List<BehaviorEvent> ordered = Preprocessor.keepDuplicates().apply(log);
        int half = ordered.size() / 2;
        StreamingScorer first = StreamingScorer.builder(back).idleTtl(java.time.Duration.ZERO).build();
        ordered.subList(0, half).forEach(first::accept);
        Path snap = tmp.resolve("stream.snapshot");
        first.snapshot(snap);
        StreamingScorer second = StreamingScorer.builder(back).idleTtl(java.time.Duration.ZERO).build();
        second.restore(snap);
        ordered.subList(half, ordered.size()).forEach(second::accept);
        second.flush();
        Map<String, Double> streamed = second.scores();
        assertEquals(batch.keySet(), streamed.keySet());
        batch.forEach((k, v) -> assertEquals(v, streamed.get(k), 0.0, k));
      }
    }
  }
}
