package io.seqwatch.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.testkit.SharedData;
import io.seqwatch.spi.Alert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.Set;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingScorerTest {
  @TempDir Path dir;

  private static List<BehaviorEvent> taobao() throws IOException {
    return SharedData.events("taobao", "taobao/user_behavior_2h.csv");
  }


  private static Map<String, Double> batch(FittedPipeline p, List<BehaviorEvent> events) {
    Map<String, Double> out = new HashMap<>();
    for (Score s : p.scoreEvents(events)) {
      out.put(s.key(), s.value());
    }
    return out;
  }

  /** Offers events in the batch's time order (ties by line), as a replay would. */
  private static List<BehaviorEvent> timeOrder(List<BehaviorEvent> events) {
    return Preprocessor.keepDuplicates().apply(events);
  }

  @Test
  void streamedFeatureScoresEqualBatchScoresOnTheRealTaobaoLog() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_2h.csv").isPresent(), "../shared/data is absent");
    List<BehaviorEvent> events = taobao();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(events)) {
      Map<String, Double> expected = batch(p, events);
      StreamingScorer s = StreamingScorer.builder(p).build();
      assertEquals("features", s.stateKind());
      for (BehaviorEvent e : timeOrder(events)) {
        s.accept(e);
      }
      Map<String, Double> streamed = s.scores();
      assertEquals(expected.keySet(), streamed.keySet());
      expected.forEach((k, v) -> assertEquals(v, streamed.get(k), 0.0, k));
      StreamStats st = s.stats();
      assertEquals(events.size(), st.events());
      assertEquals(st.events(), st.scored() + st.late() + st.duplicates(), st.toString());
      assertTrue(st.bytesPerSequence() > 0 && st.bytesPerSequence() < 4_000, st.toString());
    }
  }

  @Test
  void keyedScorerWithCallerHeldStateScoresAsTheStreamingScorer() {
    SimulatedData d = Simulator.builder().users(300).seed(12).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").threshold("contamination:0.05").build()
        .fitEvents(d.events())) {
      KeyedScorer keyed = new KeyedScorer(p);
      Map<String, byte[]> state = new HashMap<>(); // what a stream processor's keyed state would hold
      Map<String, Double> last = new HashMap<>();
      int alerts = 0;
      for (BehaviorEvent e : timeOrder(d.events())) {
        String k = keyed.keyOf(e);
        KeyedScorer.Step step = keyed.accept(state.get(k), e);
        state.put(k, step.state());
        if (!Double.isNaN(step.score())) {
          last.put(step.key(), step.score());
        }
        alerts += step.alert().isPresent() ? 1 : 0;
      }
      assertEquals(batch(p, d.events()), last);
      StreamingScorer s = StreamingScorer.builder(p).build();
      timeOrder(d.events()).forEach(s::accept);
      assertEquals(s.stats().alerts(), alerts);
      // a late event comes back marked, unscored
      BehaviorEvent first = timeOrder(d.events()).get(0);
      KeyedScorer.Step late = keyed.accept(state.get(keyed.keyOf(first)),
          BehaviorEvent.of(first.actorId(), first.timestampMillis() - 1, "pv", "x", "y"));
      assertTrue(late.late() && Double.isNaN(late.score()));
    }
  }

  @Test
  void outOfOrderEventsWithinTheLatenessScoreAsInOrderAndLaterOnesAreHandedBack() {
    SimulatedData d = Simulator.builder().users(300).seed(5).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      Map<String, Double> expected = batch(p, d.events());
      // shuffle each event by up to 60 s of event time
      List<BehaviorEvent> shuffled = new ArrayList<>(timeOrder(d.events()));
      Random r = new Random(1);
      List<long[]> keys = new ArrayList<>();
      for (int i = 0; i < shuffled.size(); i++) {
        keys.add(new long[] {shuffled.get(i).timestampMillis() + r.nextInt(60_000), i});
      }
      keys.sort((a, b) -> Long.compare(a[0], b[0]));
      List<BehaviorEvent> late = new ArrayList<>();
      StreamingScorer s = StreamingScorer.builder(p).lateness(Duration.ofMinutes(2)).lateEvents(late::add).build();
      for (long[] k : keys) {
        s.accept(shuffled.get((int) k[1]));
      }
      s.flush();
      assertTrue(late.isEmpty(), late.size() + " late");
      Map<String, Double> streamed = s.scores();
      expected.forEach((k, v) -> assertEquals(v, streamed.get(k), 0.0, k));

      // with no lateness allowed, the overtaken events come back to the caller, none is lost
      List<BehaviorEvent> back = new ArrayList<>();
      StreamingScorer strict = StreamingScorer.builder(p).lateEvents(back::add).build();
      for (long[] k : keys) {
        strict.accept(shuffled.get((int) k[1]));
      }
      StreamStats st = strict.stats();
      assertTrue(st.late() > 0);
      assertEquals(st.late(), back.size());
      assertEquals(st.events(), st.scored() + st.late() + st.duplicates());
    }
  }

  @Test
  void oneAlertPerAnomalousEpisodeWithReasons() {
    SimulatedData d = Simulator.builder().users(400).seed(9).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").threshold("contamination:0.05").build()
        .fitEvents(d.events())) {
      List<Alert> alerts = new ArrayList<>();
      Map<String, Integer> crossings = new HashMap<>();
      Map<String, Boolean> above = new HashMap<>();
      StreamingScorer s = StreamingScorer.builder(p).scoreListener((key, e, score, anomalous) -> {
        if (anomalous && !above.getOrDefault(key, false)) {
          crossings.merge(key, 1, Integer::sum);
        }
        above.put(key, anomalous);
      }).build();
      for (BehaviorEvent e : timeOrder(d.events())) {
        alerts.addAll(s.accept(e));
      }
      int episodes = crossings.values().stream().mapToInt(Integer::intValue).sum();
      assertEquals(episodes, alerts.size());
      assertTrue(alerts.size() > 10, alerts.size() + " alerts");
      assertTrue(alerts.size() < d.events().size() / 20, "debounced: " + alerts.size());
      for (Alert a : alerts) {
        assertTrue(a.score() >= a.threshold());
        assertTrue(!a.explanation().contributions().isEmpty(), a.toString());
      }
      assertEquals(alerts.size(), s.stats().alerts());
    }
  }

  @Test
  void stateStaysWithinItsBoundAcrossTenMillionDistinctActors() {
    SimulatedData d = Simulator.builder().users(200).seed(2).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      StreamingScorer s = StreamingScorer.builder(p).maxActors(100_000).build();
      long t = 1_700_000_000_000L;
      for (int i = 0; i < 10_000_000; i++) {
        s.accept(BehaviorEvent.of("a" + i, t + i, "pv", "i" + (i % 1000), "c" + (i % 50)));
      }
      StreamStats st = s.stats();
      assertEquals(100_000, st.sequences());
      assertEquals(9_900_000, st.evicted());
      assertEquals(10_000_000, st.scored());
      System.out.printf("10,000,000 distinct actors, bound 100,000: %d held, %d evicted, ~%d bytes per actor%n",
          st.sequences(), st.evicted(), st.bytesPerSequence());
    }
  }

  @Test
  void idleSequencesExpireByEventTime() {
    SimulatedData d = Simulator.builder().users(100).seed(2).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      StreamingScorer s = StreamingScorer.builder(p).idleTtl(Duration.ofMinutes(30)).build();
      long t = 1_700_000_000_000L;
      s.accept(BehaviorEvent.of("early", t, "pv", "i", "c"));
      s.accept(BehaviorEvent.of("later", t + Duration.ofMinutes(31).toMillis(), "pv", "i", "c"));
      assertEquals(1, s.stats().sequences());
      assertTrue(s.score("later").isPresent());
      assertTrue(s.score("early").isEmpty());
    }
  }

  @Test
  void anActorExpiredBetweenBurstsComesBackUnderTheKeyBatchGivesIt() {
    SimulatedData d = Simulator.builder().users(120).seed(6).build().generate();
    long days = Duration.ofDays(3).toMillis(); // each actor again three days later: idle expiry (24 h) in between
    List<BehaviorEvent> twice = new ArrayList<>(d.events());
    d.events().forEach(e -> twice.add(new BehaviorEvent(e.actorId(), e.sessionId(), e.timestampMillis() + days,
        e.action(), e.type(), e.itemId(), e.categoryId(), e.price(), e.line(), e.attributes())));
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").grouping(Grouping.parse("gap:30m")).build()
        .fitEvents(d.events())) {
      Map<String, Double> streamed = new HashMap<>();
      StreamingScorer s = StreamingScorer.builder(p).idleTtl(Duration.ofHours(24))
          .scoreListener((key, e, score, anomalous) -> streamed.put(key, score)).build();
      timeOrder(twice).forEach(s::accept);
      s.flush();
      assertTrue(s.stats().evicted() > 100, s.stats() + "");
      assertEquals(batch(p, twice), streamed);
    }
  }

  @Test
  void anEventStampedFarInTheFutureIsRefusedAndExpiresNothing() throws IOException {
    SimulatedData d = Simulator.builder().users(100).seed(2).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      List<BehaviorEvent> refused = new ArrayList<>();
      java.time.Clock now = java.time.Clock.fixed(java.time.Instant.parse("2026-11-30T00:00:00Z"), java.time.ZoneOffset.UTC);
      StreamingScorer s = StreamingScorer.builder(p).idleTtl(Duration.ofHours(24)).clock(now)
          .lateEvents(refused::add).build();
      List<BehaviorEvent> ordered = timeOrder(d.events());
      ordered.subList(0, 2_000).forEach(s::accept);
      int held = s.stats().sequences();
      BehaviorEvent from2099 = BehaviorEvent.of("u-forged", java.time.Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(),
          "pv", "i", "c");
      s.accept(from2099);
      s.acceptAll(List.of(from2099, ordered.get(2_000)));
      StreamStats st = s.stats();
      assertEquals(2, st.future());
      assertEquals(List.of(from2099, from2099), refused);
      assertEquals(0, st.evicted(), "one forged timestamp must not expire the live sequences");
      assertTrue(st.sequences() >= held);
      assertEquals(st.events(), st.scored() + st.late() + st.duplicates() + st.future() + st.buffered());
      // a snapshot carries the caller's attributes back
      Path snap = dir.resolve("s.snapshot");
      s.snapshot(snap, java.util.Map.of("input", "events.csv", "line", "2001"));
      StreamingScorer back = StreamingScorer.builder(p).clock(now).build();
      assertEquals(java.util.Map.of("input", "events.csv", "line", "2001"), back.restore(snap));
      assertEquals(s.scores(), back.scores());
    }
  }

  @Test
  void aSignedSnapshotIsRefusedWhenRehashedAfterAnEditOrWithoutTheKey() throws IOException {
    io.seqwatch.core.pipeline.SigningKey key = io.seqwatch.core.pipeline.SigningKey.of(
        "snapshot-signing-key-123".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    SimulatedData d = Simulator.builder().users(100).seed(2).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      StreamingScorer s = StreamingScorer.builder(p).signingKey(key).build();
      timeOrder(d.events()).subList(0, 500).forEach(s::accept);
      Path snap = dir.resolve("signed.snapshot");
      s.snapshot(snap);
      assertEquals(s.scores(), restored(StreamingScorer.builder(p).signingKey(key), snap).scores());
      ModelFormatException noKey = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(p).build().restore(snap));
      assertTrue(noKey.getMessage().contains("is signed (key " + key.id() + "): give the scorer that signing key"),
          noKey.getMessage());
      // an edit with the trailer recomputed as a plain SHA-256, as a forger without the key would
      byte[] all = Files.readAllBytes(snap);
      byte[] body = java.util.Arrays.copyOf(all, all.length - 32);
      body[body.length - 9] ^= 1;
      byte[] rehashed = java.util.Arrays.copyOf(body, body.length + 32);
      System.arraycopy(com.google.common.hash.Hashing.sha256().hashBytes(body).asBytes(), 0, rehashed, body.length, 32);
      Files.write(snap, rehashed);
      ModelFormatException forged = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(p).signingKey(key).build().restore(snap));
      assertTrue(forged.getMessage().contains("its signature does not match"), forged.getMessage());
      Path plain = dir.resolve("plain.snapshot");
      StreamingScorer.builder(p).build().snapshot(plain);
      ModelFormatException unsigned = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(p).signingKey(key).build().restore(plain));
      assertTrue(unsigned.getMessage().contains("it is not signed"), unsigned.getMessage());
    }
  }

  @Test
  void anEd25519SignedSnapshotRestoresWithThePublicKeyAndRefusesAnother() throws IOException {
    io.seqwatch.core.pipeline.SigningKey key = io.seqwatch.core.pipeline.SigningKey.generateEd25519(
        dir.resolve("s.pem"), dir.resolve("s.pub.pem"));
    io.seqwatch.core.pipeline.SigningKey pub = io.seqwatch.core.pipeline.SigningKey.fromFile(dir.resolve("s.pub.pem"));
    SimulatedData d = Simulator.builder().users(100).seed(2).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      StreamingScorer s = StreamingScorer.builder(p).signingKey(key).build();
      timeOrder(d.events()).subList(0, 500).forEach(s::accept);
      Path snap = dir.resolve("ed.snapshot");
      s.snapshot(snap);
      assertEquals(s.scores(), restored(StreamingScorer.builder(p).signingKey(pub), snap).scores());
      byte[] all = Files.readAllBytes(snap);
      all[all.length - 70] ^= 1; // an edit in the body
      Files.write(snap, all);
      ModelFormatException edited = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(p).signingKey(pub).build().restore(snap));
      assertTrue(edited.getMessage().contains("its signature does not match"), edited.getMessage());
      io.seqwatch.core.pipeline.SigningKey other = io.seqwatch.core.pipeline.SigningKey.generateEd25519(
          dir.resolve("o.pem"), dir.resolve("o.pub.pem"));
      s.snapshot(snap);
      ModelFormatException wrong = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(p).signingKey(other).build().restore(snap));
      assertTrue(wrong.getMessage().contains("signed with key " + key.id()), wrong.getMessage());
    }
  }

  private static StreamingScorer restored(StreamingScorer.Builder b, Path snap) throws IOException {
    StreamingScorer s = b.build();
    s.restore(snap);
    return s;
  }

  @Test
  void thePerActorBaselineStreamsAsInBatchAcrossASnapshotOnRealHistories() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_43users.csv").isPresent(), "../shared/data is absent");
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("taobao").read(SharedData.file("taobao/user_behavior_43users.csv").get(), events::add,
        r -> {});
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").grouping(Grouping.parse("gap:30m"))
        .representationOption("history", "auto").build()
        .fitEvents(events)) {
      assertTrue(p.featureExtractor().orElseThrow().schema().names().contains("new_category_share"),
          "43 users with weeks of sessions: auto turns the baseline on");
      // no idle eviction: an actor back after a day would start again at burst #1 (keys are numbered per stream)
      List<BehaviorEvent> ordered = timeOrder(events);
      StreamingScorer whole = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build();
      ordered.forEach(whole::accept);
      whole.flush();
      Map<String, Double> expected = batch(p, events);
      Map<String, Double> streamed = whole.scores();
      assertTrue(streamed.size() > 40, streamed.size() + " sequences");
      streamed.forEach((k, v) -> assertEquals(expected.get(k), v, 0.0, k));
      int half = ordered.size() / 2;
      StreamingScorer first = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build();
      ordered.subList(0, half).forEach(first::accept);
      Path snap = dir.resolve("history.snapshot");
      first.snapshot(snap);
      StreamingScorer second = StreamingScorer.builder(p).idleTtl(Duration.ZERO).build();
      second.restore(snap);
      ordered.subList(half, ordered.size()).forEach(second::accept);
      second.flush();
      assertEquals(whole.scores(), second.scores());
    }
  }

  @Test
  void snapshotAndRestoreContinueWithIdenticalScores() throws IOException {
    SimulatedData d = Simulator.builder().users(300).seed(4).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").grouping(Grouping.parse("gap:30m")).build()
        .fitEvents(d.events())) {
      List<BehaviorEvent> ordered = timeOrder(d.events());
      int half = ordered.size() / 2;
      StreamingScorer whole = StreamingScorer.builder(p).lateness(Duration.ofSeconds(30)).build();
      ordered.forEach(whole::accept);
      whole.flush();
      StreamingScorer first = StreamingScorer.builder(p).lateness(Duration.ofSeconds(30)).build();
      ordered.subList(0, half).forEach(first::accept);
      Path snap = dir.resolve("stream.snapshot");
      first.snapshot(snap);
      StreamingScorer second = StreamingScorer.builder(p).lateness(Duration.ofSeconds(30)).build();
      second.restore(snap);
      ordered.subList(half, ordered.size()).forEach(second::accept);
      second.flush();
      assertEquals(whole.scores(), second.scores());
      assertEquals(whole.stats(), second.stats());
      // with gap grouping the scorer holds each actor's latest burst; it scores as in batch
      Map<String, Double> expected = batch(p, d.events());
      Map<String, Double> streamed = whole.scores();
      assertTrue(streamed.size() > 200, streamed.size() + " sequences");
      streamed.forEach((k, v) -> assertEquals(expected.get(k), v, 0.0, k));
      assertTrue(expected.size() > expected.keySet().stream().map(k -> k.substring(0, k.indexOf('#'))).distinct().count(),
          "some actors had several bursts");
      assertTrue(streamed.size() < expected.size(), "the stream holds each actor's latest burst");

      byte[] b = Files.readAllBytes(snap);
      b[b.length / 2] ^= 1;
      Path bad = Files.write(dir.resolve("bad.snapshot"), b);
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(p).build().restore(bad));
      assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    }
  }

  @Test
  void concurrentActorsOnManyThreadsScoreAsOnOne() throws Exception {
    SimulatedData d = Simulator.builder().users(400).seed(6).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      List<BehaviorEvent> ordered = timeOrder(d.events());
      // each actor's events stay in order on one thread; actors are spread over four threads
      Map<Integer, List<BehaviorEvent>> parts = new HashMap<>();
      for (BehaviorEvent e : ordered) {
        parts.computeIfAbsent(Math.floorMod(e.actorId().hashCode(), 4), k -> new ArrayList<>()).add(e);
      }
      StreamingScorer s = StreamingScorer.builder(p).build();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (List<BehaviorEvent> part : parts.values()) {
        done.add(pool.submit(() -> part.forEach(s::accept)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      // the same with batches: two threads one event at a time, two in batches of 50
      StreamingScorer mixed = StreamingScorer.builder(p).build();
      done.clear();
      for (Map.Entry<Integer, List<BehaviorEvent>> part : parts.entrySet()) {
        List<BehaviorEvent> mine = part.getValue();
        done.add(pool.submit(() -> {
          if (part.getKey() % 2 == 0) {
            mine.forEach(mixed::accept);
          } else {
            for (int from = 0; from < mine.size(); from += 50) {
              mixed.acceptAll(mine.subList(from, Math.min(mine.size(), from + 50)));
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      assertEquals(batch(p, d.events()), s.scores());
      assertEquals(batch(p, d.events()), mixed.scores());
    }
  }

  @Test
  void batchesOfEventsScoreAndAlertAsOneAtATime() {
    SimulatedData d = Simulator.builder().users(400).seed(9).build().generate();
    for (String detector : List.of("test-distance", "test-unigram")) {
      try (FittedPipeline p = Pipeline.builder().detector(detector).threshold("contamination:0.05").build()
          .fitEvents(d.events())) {
        List<BehaviorEvent> ordered = timeOrder(d.events());
        StreamingScorer one = StreamingScorer.builder(p).build();
        Set<String> oneAlerts = new TreeSet<>();
        ordered.forEach(e -> one.accept(e).forEach(a -> oneAlerts.add(a.key() + "@" + a.at())));
        StreamingScorer batched = StreamingScorer.builder(p).build();
        Set<String> batchAlerts = new TreeSet<>();
        for (int from = 0; from < ordered.size(); from += 777) {
          batched.acceptAll(ordered.subList(from, Math.min(ordered.size(), from + 777)))
              .forEach(a -> batchAlerts.add(a.key() + "@" + a.at()));
        }
        assertEquals(one.scores(), batched.scores(), detector);
        assertEquals(batch(p, d.events()), batched.scores(), detector);
        assertEquals(oneAlerts, batchAlerts, detector);
        assertTrue(batchAlerts.size() > 5, detector + ": " + batchAlerts.size() + " alerts");
        assertEquals(one.stats().scored(), batched.stats().scored());
      }
    }
  }

  @Test
  void withinABatchOutOfOrderEventsOfASequenceAreOrderedNotLate() {
    SimulatedData d = Simulator.builder().users(100).seed(4).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(d.events())) {
      List<BehaviorEvent> shuffled = new ArrayList<>(timeOrder(d.events()));
      Collections.shuffle(shuffled, new java.util.Random(1));
      List<BehaviorEvent> handedBack = new ArrayList<>();
      StreamingScorer s = StreamingScorer.builder(p).lateEvents(handedBack::add).build();
      s.acceptAll(shuffled);
      s.flush();
      assertEquals(List.of(), handedBack);
      assertEquals(batch(p, d.events()), s.scores());
      assertEquals(s.stats().events(), s.stats().scored() + s.stats().duplicates());
    }
  }

  @Test
  void keptEventSequencesAreWindowedToTheBound() {
    SimulatedData d = Simulator.builder().users(50).seed(8).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-unigram").build().fitEvents(d.events())) {
      StreamingScorer s = StreamingScorer.builder(p).maxEventsPerSequence(5).build();
      long t = 1_511_600_000_000L;
      for (int i = 0; i < 12; i++) {
        s.accept(BehaviorEvent.of("long", t + i * 1_000L, i % 2 == 0 ? "pv" : "cart", "i" + i, "c"));
      }
      assertEquals(7, s.stats().trimmed());
      List<BehaviorEvent> lastFive = new ArrayList<>();
      for (int i = 7; i < 12; i++) {
        lastFive.add(BehaviorEvent.of("long", t + i * 1_000L, i % 2 == 0 ? "pv" : "cart", "i" + i, "c"));
      }
      assertEquals(batch(p, lastFive).get("long"), s.score("long").orElseThrow(), 0.0,
          "the score of the window is the batch score of its events");
      assertEquals(12, s.stats().scored());
    }
  }

  @Test
  void sequenceModelsWithoutIncrementalStateRescoreTheirEvents() {
    SimulatedData d = Simulator.builder().users(200).seed(8).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("test-unigram").build().fitEvents(d.events())) {
      StreamingScorer s = StreamingScorer.builder(p).build();
      assertEquals("events", s.stateKind());
      List<BehaviorEvent> ordered = new ArrayList<>(timeOrder(d.events()));
      ordered.forEach(s::accept);
      assertEquals(batch(p, d.events()), s.scores());
      Collections.reverse(ordered);
    }
  }
}
