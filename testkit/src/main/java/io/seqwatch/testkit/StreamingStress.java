package io.seqwatch.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.stream.StreamStats;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streaming scorer fed from several threads at once, as a keyed stream feeds it: each thread owns
 * a disjoint share of the sequence keys and offers them in its own order, one event at a time or in
 * batches, under eviction pressure and lateness. Checks the accounting that must hold under any
 * interleaving, and, when nothing is evicted and every sequence's events arrive in time order, that
 * the alerts and scores are those of one thread. Modules with their own detectors reuse it for the
 * scorer's other state kinds.
 *
 * <p>Thread-safety: stateless.
 */
public final class StreamingStress {
  private StreamingStress() {}

  /**
   * One run's settings.
   *
   * @param threads feeding threads
   * @param maxActors the scorer's bound on held sequences
   * @param lateness the scorer's lateness
   * @param idleTtl the scorer's idle expiry (zero: never)
   * @param batch events per {@code acceptAll} call (1: {@code accept})
   * @param jitter how many places an event may move from time order within its thread (0: none)
   * @param seed for the jitter
   */
  public record Setup(int threads, int maxActors, Duration lateness, Duration idleTtl, int batch, int jitter,
      long seed) {}

  /** What a run produced. */
  public record Outcome(StreamStats stats, List<String> alerts, Map<String, Double> scores, long handedBackLate) {}

  /**
   * Feeds {@code events} (in time order) to one scorer from {@code setup.threads()} threads, flushes,
   * and asserts {@code events = scored + late + duplicates}, nothing left buffered, the late listener
   * saw every late event and the sink every alert. When nothing can be evicted ({@code maxActors} at
   * least the number of keys, no idle expiry) and there is no jitter, also asserts the alerts and
   * scores equal a single thread's.
   */
  public static Outcome check(FittedPipeline pipeline, List<BehaviorEvent> events, Setup setup) throws Exception {
    Outcome many = run(pipeline, events, setup);
    StreamStats st = many.stats();
    String at = setup.toString();
    assertEquals(events.size(), st.events(), at);
    assertEquals(0, st.buffered(), at);
    assertEquals(st.events(), st.scored() + st.late() + st.duplicates() + st.future(), at + " " + st);
    assertEquals(st.late() + st.future(), many.handedBackLate(), at);
    assertEquals(st.alerts(), many.alerts().size(), at);
    long keys = events.stream().map(StreamingStress::actorOrSession).distinct().count();
    if (setup.maxActors() >= keys && setup.idleTtl().isZero() && setup.jitter() == 0) {
      Outcome one = run(pipeline, events, new Setup(1, setup.maxActors(), setup.lateness(), setup.idleTtl(), 1, 0,
          setup.seed()));
      assertEquals(one.alerts(), many.alerts(), at);
      assertEquals(one.scores(), many.scores(), at);
      assertEquals(0, st.late(), at);
    }
    return many;
  }

  private static String actorOrSession(BehaviorEvent e) {
    return e.actorId() + "|" + e.sessionId().orElse("");
  }

  private static Outcome run(FittedPipeline pipeline, List<BehaviorEvent> events, Setup setup) throws Exception {
    ConcurrentLinkedQueue<Alert> sent = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Alert> returned = new ConcurrentLinkedQueue<>();
    AtomicLong late = new AtomicLong();
    AlertSink sink = new AlertSink() {
      @Override
      public void send(Alert alert) {
        sent.add(alert);
      }

      @Override
      public void close() {}
    };
    StreamingScorer scorer = StreamingScorer.builder(pipeline).maxActors(setup.maxActors())
        .lateness(setup.lateness()).idleTtl(setup.idleTtl()).sink(sink).lateEvents(e -> late.incrementAndGet())
        .build();
    List<List<BehaviorEvent>> parts = new ArrayList<>();
    for (int t = 0; t < setup.threads(); t++) {
      parts.add(new ArrayList<>());
    }
    for (BehaviorEvent e : events) {
      parts.get(Math.floorMod(e.actorId().hashCode(), setup.threads())).add(e);
    }
    Random random = new Random(setup.seed());
    for (List<BehaviorEvent> part : parts) {
      jitter(part, setup.jitter(), random);
    }
    ExecutorService pool = Executors.newFixedThreadPool(setup.threads());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (List<BehaviorEvent> part : parts) {
        done.add(pool.submit(() -> {
          start.await();
          for (int from = 0; from < part.size(); from += setup.batch()) {
            List<BehaviorEvent> slice = part.subList(from, Math.min(part.size(), from + setup.batch()));
            returned.addAll(setup.batch() == 1 ? scorer.accept(slice.get(0)) : scorer.acceptAll(slice));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    returned.addAll(scorer.flush());
    List<String> alerts = sorted(returned);
    assertEquals(alerts, sorted(sent), "every alert returned is also sent");
    Map<String, Double> scores = new TreeMap<>(scorer.scores());
    scorer.close();
    return new Outcome(scorer.stats(), Collections.unmodifiableList(alerts), scores, late.get());
  }

  private static List<String> sorted(Iterable<Alert> alerts) {
    List<String> out = new ArrayList<>();
    for (Alert a : alerts) {
      out.add(a.key() + "@" + a.at() + "=" + a.score());
    }
    Collections.sort(out);
    return out;
  }

  /** Moves each event up to {@code jitter} places, as a source with skewed partitions would deliver it. */
  private static void jitter(List<BehaviorEvent> part, int jitter, Random random) {
    if (jitter == 0) {
      return;
    }
    for (int i = 0; i + 1 < part.size(); i++) {
      int j = Math.min(part.size() - 1, i + random.nextInt(jitter + 1));
      Collections.swap(part, i, j);
    }
  }
}
