package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.testkit.MemoryArtifacts;
import io.seqwatch.spi.Options;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-actor baseline: what a takeover session looks like against its owner's history, bounds, round trips. */
class ActorHistoryTest {
  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;
  private static final BehaviorFeatureExtractorProvider PROVIDER = new BehaviorFeatureExtractorProvider();

  /** Ten days of an owner browsing categories c0-c3 around 10:00, a view a minute, never buying. */
  private static List<BehaviorEvent> owner(String actor, SplittableRandom r) {
    List<BehaviorEvent> out = new ArrayList<>();
    for (int day = 0; day < 10; day++) {
      long t = day * DAY + 10 * HOUR + r.nextLong(HOUR);
      for (int i = 0; i < 8; i++) {
        t += 40_000 + r.nextLong(40_000);
        out.add(BehaviorEvent.of(actor, t, i == 7 ? "cart" : "pv", "i" + r.nextInt(50), "c" + r.nextInt(4)));
      }
    }
    return out;
  }

  /** {@link #owner} for actors u0 .. u(n-1). */
  private static List<BehaviorEvent> owners(int n, SplittableRandom r) {
    List<BehaviorEvent> out = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      out.addAll(owner("u" + a, r));
    }
    return out;
  }

  private static List<BehaviorSequence> sequences(List<BehaviorEvent> events, String grouping) {
    return Grouping.parse(grouping).group(events);
  }

  private static double feature(FeatureVector v, String name) {
    return v.values()[v.schema().names().indexOf(name)];
  }

  private static BehaviorFeatureExtractor fit(List<BehaviorSequence> training, Map<String, String> options) {
    return (BehaviorFeatureExtractor) PROVIDER.fit(Options.of(PROVIDER.options(), options), training);
  }

  @Test
  void aTakeoverSessionIsNewForItsOwnerAndAnOrdinaryOneIsNot() throws IOException {
    List<BehaviorEvent> events = owners(30, new SplittableRandom(7));
    // day 11: u0 as usual; u1 taken over at 03:00: other categories, a click a second, cart and buy
    long usual = 11 * DAY + 10 * HOUR;
    for (int i = 0; i < 8; i++) {
      events.add(BehaviorEvent.of("u0", usual + i * 60_000L, "pv", "i" + i, "c" + (i % 4)));
    }
    long night = 11 * DAY + 3 * HOUR;
    for (int i = 0; i < 12; i++) {
      events.add(BehaviorEvent.of("u1", night + i * 1_000L, i % 3 == 0 ? "pv" : i % 3 == 1 ? "cart" : "buy",
          "x" + i, "c" + (10 + i)));
    }
    events.sort(java.util.Comparator.comparingLong(BehaviorEvent::timestampMillis));
    List<BehaviorSequence> seqs = sequences(events, "gap:30m");
    assertTrue(fit(seqs, Map.of()).history().isEmpty(), "off by default");
    BehaviorFeatureExtractor x = fit(seqs, Map.of("history", "auto"));
    assertTrue(x.history().isPresent(), "auto turns the baseline on when actors come back");
    assertTrue(x.schema().names().containsAll(HistoryAccumulator.NAMES));
    BehaviorSequence takeover = seqs.stream().filter(s -> s.key().startsWith("u1#")).reduce((a, b) -> b).orElseThrow(); // its 11th
    BehaviorSequence ordinary = seqs.stream().filter(s -> s.key().startsWith("u0#")).reduce((a, b) -> b).orElseThrow();
    BehaviorSequence first = seqs.stream().filter(s -> s.key().startsWith("u0#")).findFirst().orElseThrow();
    FeatureVector t = x.extract(takeover);
    FeatureVector o = x.extract(ordinary);
    assertEquals(10, feature(t, "history_sessions"));
    assertEquals(10, feature(o, "history_sessions"));
    assertEquals(0, feature(x.extract(first), "history_sessions"), "a first session has no history");
    // 80 events of history: weight 0.8 on the actor, 0.2 on the population
    assertTrue(feature(t, "new_category_share") > 0.8, "takeover categories: " + feature(t, "new_category_share"));
    assertTrue(feature(o, "new_category_share") < 0.05, "usual categories: " + feature(o, "new_category_share"));
    assertTrue(feature(t, "new_hour_share") > 0.8, "" + feature(t, "new_hour_share"));
    assertTrue(feature(o, "new_hour_share") < 0.05, "" + feature(o, "new_hour_share"));
    assertEquals(0.8, feature(t, "first_purchase"), 1e-12);
    assertEquals(0, feature(o, "first_purchase"));
    assertTrue(feature(t, "pace_shift") < -1, "a click a second against one a minute: " + feature(t, "pace_shift"));
    assertTrue(feature(t, "action_shift") > 3 * feature(o, "action_shift"));
    String why = x.context(t).orElseThrow().reason();
    assertTrue(why.startsWith("new for this actor (10 earlier sessions): "), why);
    assertTrue(why.contains("of its events in categories it never visited") && why.contains("its first purchase")
        && why.contains("at hours of day it was never active") && why.contains("shorter than its usual"), why);
    assertTrue(x.context(o).isEmpty(), "nothing new for the owner as usual");
    assertTrue(x.context(x.extract(first)).isEmpty(), "a first session has nothing to compare with");

    // in a pipeline, the reason comes with an anomalous score
    try (io.seqwatch.core.pipeline.FittedPipeline p = io.seqwatch.core.pipeline.Pipeline.builder()
        .detector("test-distance").grouping(Grouping.parse("gap:30m")).representationOption("history", "auto")
        .threshold("quantile:0.99").build()
        .fitEvents(events)) {
      io.seqwatch.api.Score sc = p.score(takeover);
      assertTrue(sc.anomalous(), "takeover score " + sc.value());
      assertTrue(sc.explanation().summary().contains("new for this actor (10 earlier sessions)"),
          sc.explanation().summary());
      assertFalse(p.score(ordinary).explanation().summary().contains("new for this actor"));
    }

    // saved and loaded: the same features, the training sequences' included
    Map<String, byte[]> files = new HashMap<>();
    x.save(MemoryArtifacts.writer(files));
    assertTrue(files.containsKey(BehaviorFeatureExtractor.HISTORY));
    Map<String, String> fitted = new HashMap<>(x.fittedOptions());
    BehaviorFeatureExtractor loaded =
        (BehaviorFeatureExtractor) PROVIDER.load(Options.of(PROVIDER.options(), fitted), MemoryArtifacts.reader(files));
    for (BehaviorSequence s : seqs) {
      assertArrayEquals(x.extract(s).values(), loaded.extract(s).values(), s.key());
    }
  }

  @Test
  void autoLeavesItOffWhenNoActorComesBackAndNoneTurnsItOff() {
    List<BehaviorEvent> events = owners(5, new SplittableRandom(3));
    assertTrue(fit(sequences(events, "actor"), Map.of("history", "auto")).history().isEmpty(),
        "one sequence per actor: nothing before");
    assertTrue(fit(sequences(events, "gap:30m"), Map.of("history", "auto")).history().isPresent());
    assertTrue(fit(sequences(events, "gap:30m"), Map.of("history", "none")).history().isEmpty());
    assertEquals("none", fit(sequences(events, "actor"), Map.of("history", "auto")).fittedOptions().get("history"));
  }

  @Test
  void historiesAreBoundedToTheMostRecentActorsAndSessions() {
    SplittableRandom r = new SplittableRandom(5);
    List<BehaviorEvent> events = new ArrayList<>();
    for (int a = 0; a < 5; a++) {
      for (BehaviorEvent e : owner("u" + a, r)) {
        events.add(BehaviorEvent.of(e.actorId(), e.timestampMillis() + a * HOUR / 2, e.action(), e.itemId().get(),
            e.categoryId().get()));
      }
    }
    // u5: 40 daily sessions, more than are kept one by one
    for (int day = 0; day < 40; day++) {
      events.add(BehaviorEvent.of("u5", day * DAY + HOUR, "pv", "i", "c" + day));
    }
    List<BehaviorSequence> seqs = sequences(events, "gap:30m");
    ActorHistory h = ActorHistory.fit(seqs, java.time.ZoneOffset.UTC, 3);
    assertEquals(3, h.actors());
    // u5 was last active on day 39, then u4 and u3 (their days start later)
    assertEquals(0, h.before("u0", 20 * DAY).sessions());
    assertEquals(10, h.before("u4", 20 * DAY).sessions());
    assertEquals(40, h.before("u5", 41 * DAY).sessions(), "older sessions merged, none lost");
    assertEquals(10, h.before("u3", 20 * DAY).sessions());
    assertEquals(0, h.before("u2", 20 * DAY).sessions());
    assertEquals(ActorHistory.KEPT_SESSIONS + 1 + 10 + 10, h.summaries(), "15 kept + 1 merged for u5, 10 each for u4, u3");
    // the merged summary only counts for sequences after all of it
    assertEquals(26, h.before("u5", 26 * DAY).sessions(), "days 0-24 merged, then day 25");
    assertEquals(0, h.before("u5", 24 * DAY + 1).sessions(), "inside the merged span: not usable");
  }

  @Test
  void aForgedOrTruncatedHistoryIsRefused() throws IOException {
    SplittableRandom r = new SplittableRandom(9);
    List<BehaviorEvent> events = new ArrayList<>(owner("u0", r));
    ActorHistory h = ActorHistory.fit(sequences(events, "gap:30m"), java.time.ZoneOffset.UTC, 10);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    h.write(new DataOutputStream(b));
    byte[] bytes = b.toByteArray();
    ActorHistory back = ActorHistory.read(new DataInputStream(new ByteArrayInputStream(bytes)), bytes.length);
    ActorHistory.Prior p = h.before("u0", 20 * DAY);
    ActorHistory.Prior q = back.before("u0", 20 * DAY);
    assertEquals(10, q.sessions());
    assertEquals(p.events(), q.events());
    assertArrayEquals(p.actions(), q.actions());
    assertArrayEquals(p.categories(), q.categories());
    assertEquals(p.hours(), q.hours());
    assertEquals(p.logGaps(), q.logGaps());
    // declare 2^30 actors in the same small file
    byte[] forged = bytes.clone();
    int at = 4 + 4 + 8 * 8 + 8 * 4; // layout, types, shares, four doubles
    java.nio.ByteBuffer.wrap(forged).putInt(at, 1 << 30).putInt(at + 4, 1 << 30);
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> ActorHistory.read(new DataInputStream(new ByteArrayInputStream(forged)), forged.length));
    assertTrue(e.getMessage().contains("declares 1073741824 actors"), e.getMessage());
    assertThrows(java.io.EOFException.class, () -> ActorHistory.read(
        new DataInputStream(new ByteArrayInputStream(java.util.Arrays.copyOf(bytes, bytes.length - 3))), bytes.length));
  }

  @Test
  void aStreamedSequenceHasTheBatchFeaturesAcrossASnapshot() throws IOException {
    List<BehaviorEvent> events = owners(6, new SplittableRandom(11));
    events.sort(java.util.Comparator.comparingLong(BehaviorEvent::timestampMillis));
    List<BehaviorSequence> seqs = sequences(events, "gap:30m");
    BehaviorFeatureExtractor x = fit(seqs, Map.of("history", "on"));
    for (BehaviorSequence s : seqs) {
      BehaviorAccumulator a = x.accumulator();
      int half = s.size() / 2;
      for (int i = 0; i < half; i++) {
        a.add(s.events().get(i));
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      a.write(new DataOutputStream(b));
      a = BehaviorAccumulator.read(new DataInputStream(new ByteArrayInputStream(b.toByteArray())), x);
      for (int i = half; i < s.size(); i++) {
        a.add(s.events().get(i));
      }
      assertArrayEquals(x.extract(s).values(), a.features(s.key(), x.schema()).values(), s.key());
    }
    // a snapshot of features without the baseline does not load into a model with it
    BehaviorAccumulator plain = new BehaviorAccumulator(x.zone(), 0, 6);
    plain.add(events.get(0));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    plain.write(new DataOutputStream(b));
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> BehaviorAccumulator.read(new DataInputStream(new ByteArrayInputStream(b.toByteArray())), x));
    assertTrue(e.getMessage().contains("actor-history"), e.getMessage());
    assertFalse(x.history().isEmpty());
  }
}
