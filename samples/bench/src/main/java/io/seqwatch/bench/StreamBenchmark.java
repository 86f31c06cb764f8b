package io.seqwatch.bench;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.core.stream.StreamStats;
import io.seqwatch.core.stream.StreamingScorer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streaming figures on one thread: events per second and per-event latency (p50, p99) of the
 * {@link StreamingScorer} with {@code isolation-forest} on running behaviour features and with
 * {@code gru} on its incremental state, one event at a time and in batches ({@code acceptAll}), on
 * DJL and exported to ONNX Runtime, over simulated shop traffic; then the heap held per actor
 * with one million actors in the scorer (measured heap after GC, and the scorer's own estimate).
 *
 * <p>Usage: {@code StreamBenchmark [users=20000] [actors=1000000]}. Thread-safety: a command-line
 * program.
 */
public final class StreamBenchmark {
  private StreamBenchmark() {}

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int actors = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    SimulatedData d = Simulator.builder().users(users).seed(7).build().generate();
    List<BehaviorEvent> events = Preprocessor.keepDuplicates().apply(d.events());
    System.out.printf(Locale.ROOT, "%,d simulated events of %,d users; one thread%n", events.size(), users);
    System.out.printf(Locale.ROOT, "%-18s %12s %10s %10s %14s%n", "detector", "events/s", "p50 ms", "p99 ms",
        "bytes/actor*");
    for (var run : List.of(Map.entry("isolation-forest", Map.<String, String>of()),
        Map.entry("gru", Map.of("hidden", "32", "layers", "1", "epochs", "1", "device", "cpu")))) {
      try (FittedPipeline p = Pipeline.builder().detector(run.getKey()).options(run.getValue()).build()
          .fitEvents(events.subList(0, Math.min(events.size(), 200_000)))) {
        List<BehaviorEvent> replay = run.getKey().equals("gru") ? events.subList(0, Math.min(events.size(), 50_000))
            : events;
        measure(run.getKey(), p, replay);
        if (run.getKey().equals("gru")) { // the same model exported, streamed on ONNX Runtime
          measureBatched("gru", p, replay, 1_000);
          java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("seqwatch-stream-bench");
          p.export(dir.resolve("gru-onnx"), "onnx");
          try (FittedPipeline onnx = FittedPipeline.load(dir.resolve("gru-onnx"))) {
            measure("gru (onnx)", onnx, replay);
            measureBatched("gru (onnx)", onnx, replay, 1_000);
          }
        }
      }
    }
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").build().fitEvents(events)) {
      StreamingScorer s = StreamingScorer.builder(p).maxActors(actors).build();
      long before = usedAfterGc();
      long t = 1_700_000_000_000L;
      for (int i = 0; i < actors; i++) {
        for (int k = 0; k < 3; k++) { // three page views each
          s.accept(BehaviorEvent.of("actor-" + i, t + i + k * 7_000L, "pv", "item-" + (i * 7 + k) % 100_000,
              "cat-" + i % 500));
        }
      }
      long after = usedAfterGc();
      StreamStats st = s.stats();
      System.out.printf(Locale.ROOT, "%,d actors held (3 events each, features state): %,d bytes per actor measured "
          + "(heap after GC), %,d estimated by the scorer%n", st.sequences(), (after - before) / st.sequences(),
          st.bytesPerSequence());
      if (s.stats().sequences() < 0) {
        System.out.println(s); // keep the scorer reachable until measured
      }
    }
    System.out.println("* the scorer's estimate of its state per held sequence");
  }

  private static void measure(String name, FittedPipeline p, List<BehaviorEvent> replay) {
    StreamingScorer warm = StreamingScorer.builder(p).build();
    replay.subList(0, Math.min(replay.size(), 5_000)).forEach(warm::accept);
    StreamingScorer s = StreamingScorer.builder(p).build();
    long[] lat = new long[replay.size()];
    long t0 = System.nanoTime();
    for (int i = 0; i < lat.length; i++) {
      long a = System.nanoTime();
      s.accept(replay.get(i));
      lat[i] = System.nanoTime() - a;
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(lat);
    StreamStats st = s.stats();
    System.out.printf(Locale.ROOT, "%-18s %12.0f %10.3f %10.3f %14d%n", name, lat.length / sec,
        lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, st.bytesPerSequence());
  }

  /** {@link StreamingScorer#acceptAll} in batches (as a poll loop offers them): events/s and batch latency. */
  private static void measureBatched(String name, FittedPipeline p, List<BehaviorEvent> replay, int batch) {
    StreamingScorer warm = StreamingScorer.builder(p).build();
    warm.acceptAll(replay.subList(0, Math.min(replay.size(), 5_000)));
    StreamingScorer s = StreamingScorer.builder(p).build();
    int n = (replay.size() + batch - 1) / batch;
    long[] lat = new long[n];
    long t0 = System.nanoTime();
    for (int b = 0; b < n; b++) {
      long a = System.nanoTime();
      s.acceptAll(replay.subList(b * batch, Math.min(replay.size(), (b + 1) * batch)));
      lat[b] = System.nanoTime() - a;
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(lat);
    System.out.printf(Locale.ROOT, "%-18s %12.0f   batches of %,d events: p50 %.1f ms, p99 %.1f ms per batch%n",
        name + ", acceptAll", replay.size() / sec, batch, lat[n / 2] / 1e6, lat[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return r.totalMemory() - r.freeMemory();
  }
}
