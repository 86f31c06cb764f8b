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
import io.seqwatch.testkit.SharedData;
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

  /**
   * A JSON-lines log with device, ip, user_agent, query and referrer fields (people searching and
   * clicking, scripts firing queries at machine speed) trains and scores, with the query features.
   */
  @Test
  void aJsonlLogWithQueriesAndReferrersTrainsAndScores() throws IOException {
    StringBuilder log = new StringBuilder();
    java.util.Random r = new java.util.Random(3);
    String[] words = {"red", "shoes", "running", "wireless", "headphones", "kettle", "usb", "charger", "desk", "lamp"};
    long t0 = 1_700_000_000L;
    for (int u = 0; u < 60; u++) {
      boolean bot = u >= 56;
      long t = t0 + u * 600;
      for (int i = 0; i < 12; i++) {
        boolean search = i % 3 == 0;
        String q = words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)] + (bot ? " best price" : "");
        t += bot ? 1 : 8 + r.nextInt(30);
        log.append(String.format(java.util.Locale.ROOT,
            "{\"user_id\":\"u%d\",\"ts\":%d,\"event\":\"%s\",\"item\":\"i%d\",\"device_id\":\"d%d\","
                + "\"ip\":\"10.0.%d.%d\",\"ua\":\"%s\",%s\"referrer\":\"%s\"}%n",
            u, t, bot || search ? "search" : "view", r.nextInt(40), u, u, bot ? r.nextInt(250) : 7,
            bot ? "python-requests/2.32" : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
            bot || search ? "\"q\":\"" + q + "\"," : "", bot ? "" : "https://shop.example/"));
      }
    }
    List<BehaviorEvent> events = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("jsonl").read(new BufferedReader(new StringReader(log.toString())),
        events::add, x -> { });
    assertEquals(720, s.accepted());
    assertEquals(Set.of("device (categorical)", "ip (categorical)", "user_agent (categorical)", "query (text)",
        "referrer (categorical)"), s.attributes().keySet());
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(events)) {
      BehaviorFeatureExtractor x = (BehaviorFeatureExtractor) p.featureExtractor().orElseThrow();
      assertEquals("device,ip,user-agent,query", x.signals().spec());
      Map<String, Double> scores = new HashMap<>();
      for (Score sc : p.scoreEvents(events)) {
        scores.put(sc.key(), sc.value());
      }
      assertEquals(60, scores.size());
      double lowestBot = java.util.stream.IntStream.range(56, 60).mapToDouble(u -> scores.get("u" + u)).min().orElseThrow();
      double highestPerson = java.util.stream.IntStream.range(0, 56).mapToDouble(u -> scores.get("u" + u)).max().orElseThrow();
      assertTrue(lowestBot > highestPerson, "the four scripts score above every person: " + lowestBot + " vs " + highestPerson);
      io.seqwatch.api.FeatureVector bot = x.extract(p.sequences(events).stream().filter(q -> q.key().equals("u57"))
          .findFirst().orElseThrow());
      assertEquals(1.0, bot.get("fast_query_share"), "17 characters and more in a second");
      assertEquals(1.0, bot.get("non_browser_share"));
    }
  }
}
