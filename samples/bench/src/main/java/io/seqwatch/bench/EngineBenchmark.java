package io.seqwatch.bench;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The same {@code gru} (2x64, window 6: the defaults) scored by engine-djl and by engine-onnx after
 * export, side by side in one run on the HDFS sessions: per-sequence latency (p50, p99, one sequence
 * per call, after warm-up) and batched throughput (all sequences in one call), plus the largest score
 * difference, and how much resident memory grew over 400,000 scored sequences after the first
 * 100,000 (in those the heap grows and the native allocators fill their caches: PyTorch's resident
 * memory rises about 360 MB, ONNX Runtime's 40 MB, then both stay flat). Prints a table; the README's
 * engine table comes from it.
 *
 * <p>Usage: {@code EngineBenchmark <hdfs_train> <hdfs_valid_labelled.csv> [epochs]}. Thread-safety:
 * a command-line program.
 */
public final class EngineBenchmark {
  private EngineBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path train = Path.of(args[0]);
    Path valid = Path.of(args[1]);
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<BehaviorSequence> trainSeqs = tokens(train);
    List<BehaviorSequence> validSeqs = new ArrayList<>();
    int line = 1;
    for (String l : Files.readAllLines(valid)) {
      if (line++ == 1) {
        continue;
      }
      validSeqs.add(sequence(Integer.toString(line), l.substring(0, l.lastIndexOf(','))));
    }
    Path dir = Files.createTempDirectory("seqwatch-engine-bench");
    Path djlBundle = dir.resolve("gru");
    Path onnxBundle = dir.resolve("gru-onnx");
    try (FittedPipeline f = Pipeline.builder().detector("gru").dropDuplicates(false).option("epochs", Integer.toString(epochs))
        .option("device", "cpu").build().fit(trainSeqs)) {
      f.save(djlBundle);
      f.export(onnxBundle, "onnx");
    }
    System.out.printf(Locale.ROOT, "gru 2x64, window 6, %d training sessions, %d scored; one thread each%n",
        trainSeqs.size(), validSeqs.size());
    System.out.printf(Locale.ROOT, "%-12s %10s %10s %16s %14s %18s%n", "engine", "p50 ms", "p99 ms", "batch seq/s",
        "bundle bytes", "RSS +MB 100k-500k");
    double[][] scores = new double[2][];
    int k = 0;
    for (Path bundle : List.of(djlBundle, onnxBundle)) {
      try (FittedPipeline p = FittedPipeline.load(bundle)) {
        for (int i = 0; i < 200; i++) { // warm-up
          p.model().score(observation(p, validSeqs.get(i % validSeqs.size())));
        }
        long[] lat = new long[validSeqs.size()];
        for (int i = 0; i < lat.length; i++) {
          var o = observation(p, validSeqs.get(i));
          long t0 = System.nanoTime();
          p.model().score(o);
          lat[i] = System.nanoTime() - t0;
        }
        Arrays.sort(lat);
        long best = Long.MAX_VALUE;
        double[] s = null;
        List<io.seqwatch.api.Observation> all = new ArrayList<>();
        for (BehaviorSequence q : validSeqs) {
          all.add(p.observe(q));
        }
        for (int r = 0; r < 3; r++) {
          long t0 = System.nanoTime();
          s = p.model().scoreAll(all);
          best = Math.min(best, System.nanoTime() - t0);
        }
        scores[k++] = s;
        for (int scored = 0; scored < 100_000; scored += all.size()) { // the heap and the allocators settle
          p.model().scoreAll(all);
        }
        long rss0 = residentKb();
        for (int scored = 0; scored < 400_000; scored += all.size()) {
          p.model().scoreAll(all);
        }
        long grown = residentKb() - rss0;
        long bytes;
        try (var files = Files.walk(bundle)) {
          bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "%-12s %10.3f %10.3f %16.0f %14d %18.1f%n", p.provenance().engine().split(" ")[0],
            lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, validSeqs.size() / (best / 1e9), bytes,
            grown / 1024.0);
      }
    }
    double worst = 0;
    for (int i = 0; i < scores[0].length; i++) {
      worst = Math.max(worst, Math.abs(scores[0][i] - scores[1][i]));
    }
    System.out.printf(Locale.ROOT, "largest score difference between the engines: %.2e%n", worst);
  }

  /** This process's resident memory in kB ({@code VmRSS}), or 0 where /proc is absent. */
  static long residentKb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    return 0;
  }

  private static List<BehaviorSequence> tokens(Path file) throws IOException {
    List<BehaviorSequence> out = new ArrayList<>();
    int line = 0;
    for (String l : Files.readAllLines(file)) {
      line++;
      if (!l.isBlank()) {
        out.add(sequence(Integer.toString(line), l));
      }
    }
    return out;
  }

  private static BehaviorSequence sequence(String key, String tokens) {
    List<io.seqwatch.api.BehaviorEvent> events = new ArrayList<>();
    long t = 946_684_800_000L;
    for (String tok : tokens.trim().split("\\s+")) {
      events.add(io.seqwatch.api.BehaviorEvent.of(key, t++, tok, "", ""));
    }
    return new BehaviorSequence(key, events);
  }

  private static io.seqwatch.api.Observation observation(FittedPipeline p, BehaviorSequence s) {
    return p.observe(s);
  }
}
