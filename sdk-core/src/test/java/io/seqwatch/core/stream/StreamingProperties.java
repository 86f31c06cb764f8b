package io.seqwatch.core.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.features.BehaviorAccumulator;
import io.seqwatch.core.features.BehaviorFeatureExtractor;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Invariants of streaming state: running features, their snapshots, and snapshot integrity. */
class StreamingProperties {
  private static final BehaviorFeatureExtractor EXTRACTOR =
      new BehaviorFeatureExtractor(ZoneId.of("Asia/Shanghai"), 0, 6);
  private static FittedPipeline pipeline;

  @BeforeContainer
  static void train() {
    pipeline = Pipeline.builder().detector("test-distance").build()
        .fitEvents(Simulator.builder().users(150).seed(3).build().generate().events());
  }

  @AfterContainer
  static void close() {
    pipeline.close();
  }

  @Provide
  Arbitrary<List<BehaviorEvent>> sequences() {
    Arbitrary<long[]> step = Combinators.combine(Arbitraries.longs().between(0, 120_000),
        Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 3))
        .as((gap, action, item, cat) -> new long[] {gap, action, item, cat});
    return step.list().ofMinSize(1).ofMaxSize(60).map(steps -> {
      String[] actions = {"pv", "cart", "fav", "buy", "pv"};
      List<BehaviorEvent> out = new ArrayList<>();
      long t = 1_511_600_000_000L;
      for (long[] s : steps) {
        t += s[0];
        out.add(BehaviorEvent.of("u", t, actions[(int) s[1]], "i" + s[2], "c" + s[3]));
      }
      return out;
    });
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void anySplitIntoBatchesScoresAsOneEventAtATime(@ForAll("sequences") List<BehaviorEvent> first,
      @ForAll("sequences") List<BehaviorEvent> second, @ForAll @IntRange(min = 1, max = 40) int batch) {
    // two actors interleaved in time order
    List<BehaviorEvent> events = new ArrayList<>(first);
    second.forEach(e -> events.add(BehaviorEvent.of("v", e.timestampMillis() + 7, e.action(), e.itemId().orElseThrow(),
        e.categoryId().orElseThrow())));
    events.sort(java.util.Comparator.comparingLong(BehaviorEvent::timestampMillis));
    StreamingScorer one = StreamingScorer.builder(pipeline).idleTtl(java.time.Duration.ZERO).build();
    List<String> oneAlerts = new ArrayList<>();
    events.forEach(e -> one.accept(e).forEach(a -> oneAlerts.add(a.key() + "@" + a.at())));
    StreamingScorer batched = StreamingScorer.builder(pipeline).idleTtl(java.time.Duration.ZERO).build();
    List<String> batchAlerts = new ArrayList<>();
    for (int from = 0; from < events.size(); from += batch) {
      batched.acceptAll(events.subList(from, Math.min(events.size(), from + batch)))
          .forEach(a -> batchAlerts.add(a.key() + "@" + a.at()));
    }
    assertEquals(one.scores(), batched.scores());
    assertEquals(new java.util.TreeSet<>(oneAlerts), new java.util.TreeSet<>(batchAlerts));
    assertEquals(one.stats().scored(), batched.stats().scored());
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void runningFeaturesEqualBatchFeaturesAfterEveryEvent(@ForAll("sequences") List<BehaviorEvent> events) {
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    for (int i = 0; i < events.size(); i++) {
      a.add(events.get(i));
      double[] batch = EXTRACTOR.extract(new BehaviorSequence("u", events.subList(0, i + 1))).values();
      assertArrayEquals(batch, a.features("u", EXTRACTOR.schema()).values(), 0.0, "after event " + (i + 1));
    }
  }

  /** Shannon's entropy in bits of {@code total} transitions with these counts, computed directly. */
  private static double shannonBits(java.util.Map<String, Integer> counts, int total) {
    double h = 0;
    for (int c : counts.values()) {
      double p = c / (double) total;
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void theRunningTransitionEntropyIsShannonsOverTheCounts(@ForAll("sequences") List<BehaviorEvent> events) {
    foldCheckingEntropy(events, 1, new java.util.HashMap<>());
  }

  /**
   * Folds {@code events} into an accumulator, checking its transition entropy against Shannon's
   * formula over {@code counts} (filled with the transitions seen) after every {@code every}-th event.
   */
  private static BehaviorAccumulator foldCheckingEntropy(List<BehaviorEvent> events, int every,
      java.util.Map<String, Integer> counts) {
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    int index = EXTRACTOR.schema().names().indexOf("transition_entropy");
    for (int i = 0; i < events.size(); i++) {
      a.add(events.get(i));
      if (i > 0) {
        counts.merge(events.get(i - 1).action() + ">" + events.get(i).action(), 1, Integer::sum);
      }
      if (i % every == every - 1) {
        assertEquals(shannonBits(counts, i), a.features("u", EXTRACTOR.schema()).values()[index], 1e-9,
            "after event " + (i + 1));
      }
    }
    return a;
  }

  @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
  void freeTextActionsKeepTheEntropyRightBeyondTheExactSum(@ForAll @IntRange(min = 0, max = 1_000) int seed)
      throws IOException {
    java.util.Random r = new java.util.Random(seed);
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      events.add(BehaviorEvent.of("u", 1_511_600_000_000L + i * 1_000L, "query " + r.nextInt(40), "i", "c"));
    }
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    BehaviorAccumulator a = foldCheckingEntropy(events, 100, counts);
    assertEquals(true, counts.size() > 256, "past the exact sum: " + counts.size());
    // restored from its bytes mid-way, it continues bit for bit
    BehaviorAccumulator b = EXTRACTOR.accumulator();
    events.subList(0, 700).forEach(b::add);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    b.write(new DataOutputStream(bytes));
    BehaviorAccumulator c = BehaviorAccumulator.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
        EXTRACTOR.zone(), EXTRACTOR.nightStart(), EXTRACTOR.nightEnd());
    events.subList(700, events.size()).forEach(c::add);
    assertArrayEquals(a.features("u", EXTRACTOR.schema()).values(), c.features("u", EXTRACTOR.schema()).values(), 0.0);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void anAccumulatorRestoredFromItsBytesContinuesIdentically(@ForAll("sequences") List<BehaviorEvent> events,
      @ForAll @IntRange(min = 0, max = 59) int cut) throws IOException {
    int at = Math.min(cut, events.size() - 1);
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    events.subList(0, at).forEach(a::add);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.write(new DataOutputStream(bytes));
    BehaviorAccumulator b = BehaviorAccumulator.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
        EXTRACTOR.zone(), EXTRACTOR.nightStart(), EXTRACTOR.nightEnd());
    for (BehaviorEvent e : events.subList(at, events.size())) {
      a.add(e);
      b.add(e);
    }
    assertArrayEquals(a.features("u", EXTRACTOR.schema()).values(), b.features("u", EXTRACTOR.schema()).values(), 0.0);
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void aSnapshotWithAnyFlippedByteIsRefused(@ForAll @IntRange(min = 0, max = 1_000_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) throws IOException {
    StreamingScorer s = StreamingScorer.builder(pipeline).build();
    long t = 1_511_600_000_000L;
    for (int i = 0; i < 40; i++) {
      s.accept(BehaviorEvent.of("a" + (i % 7), t + i * 5_000L, i % 3 == 0 ? "cart" : "pv", "i" + i, "c" + (i % 4)));
    }
    Path file = Files.createTempFile("seqwatch-stream", ".snapshot");
    try {
      s.snapshot(file);
      byte[] b = Files.readAllBytes(file);
      b[position % b.length] ^= (byte) mask;
      Files.write(file, b);
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> StreamingScorer.builder(pipeline).build().restore(file));
      assertEquals(true, e.getMessage().contains("streaming snapshot"), e.getMessage());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
