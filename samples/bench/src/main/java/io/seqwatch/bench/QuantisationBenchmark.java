package io.seqwatch.bench;

import io.seqwatch.api.Observation;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Quantised serving of {@code masked-transformer}: on each real shop log with 5 % grafted attacks
 * (the pretraining benchmark's split: a training pool and a test half), the detector is trained with
 * its defaults on the pool and exported to ONNX with float32 weights ({@code onnx}) and with int8
 * weights ({@code onnx-int8}). The test half is scored by DJL, ONNX Runtime float32 and ONNX Runtime
 * int8 in alternating rounds (model time only: sequences encoded once, outside the clock, and given keys
 * marked with the pass, so no model finds them among those it scored last; one thread each); printed:
 * median seconds and events/s, the int8 speed-up over float32, Spearman's rank correlation of the
 * int8 scores with DJL's, decision agreement at the bundle's threshold, and PR-AUC of each.
 * {@code samples/bench/run.sh quantisation [rounds] [size]}; {@code -Dseqwatch.bench.only=taobao,...} keeps some logs.
 */
public final class QuantisationBenchmark {
  private QuantisationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String size = args.length > 1 ? args[1] : "small";
    Path data = Path.of(args.length > 2 ? args[2] : "../shared/data");
    Path dir = Files.createTempDirectory("seqwatch-quantisation");
    System.out.printf(Locale.ROOT, "masked-transformer (size %s) scored on the test half, %d alternating rounds, "
        + "median seconds (model only); load average %s%n", size, rounds, load());
    System.out.printf(Locale.ROOT, "%-11s %7s %8s %8s %8s %9s %9s %7s %9s %9s %10s %8s %8s%n", "shop", "seqs", "events",
        "djl s", "fp32 s", "int8 s", "int8 ev/s", "x fp32", "x djl", "Spearman", "agree", "PR djl", "PR int8");
    for (QualityBenchmark.Shop shop : QualityBenchmark.SHOPS) {
      if (!QualityBenchmark.ONLY.isEmpty() && !QualityBenchmark.ONLY.contains(shop.name())) {
        continue;
      }
      PretrainingBenchmark.Split s = PretrainingBenchmark.split(shop, data, 1);
      Path fp32 = dir.resolve(shop.name() + "-fp32");
      Path int8 = dir.resolve(shop.name() + "-int8");
      try (FittedPipeline djl = Pipeline.builder().detector("masked-transformer").option("size", size).seed(1).build()
          .fit(s.pool())) {
        djl.export(fp32, "onnx");
        djl.export(int8, "onnx-int8");
        try (FittedPipeline f32 = FittedPipeline.load(fp32); FittedPipeline i8 = FittedPipeline.load(int8)) {
          long events = s.test().stream().mapToLong(q -> q.events().size()).sum();
          List<FittedPipeline> engines = List.of(djl, f32, i8);
          double[][] seconds = new double[3][rounds];
          List<io.seqwatch.api.EncodedSequence> encoded = s.test().stream().map(q -> djl.observe(q).requireEncoded()).toList();
          for (int r = 0; r < rounds; r++) {
            for (int e = 0; e < 3; e++) {
              int which = (e + r) % 3; // alternate which engine goes first
              // keys marked with the pass: a model keeps the surprise of the sequences it scored last
              // (by content, key included), and a second pass over the same ones would time the lookup
              String pass = "#" + r + "." + e;
              List<Observation> obs = encoded.stream().map(q -> Observation.of(new io.seqwatch.api.EncodedSequence(
                  q.key() + pass, q.tokens(), q.gapBuckets(), q.categoryIds(), q.prices(), q.attributes()))).toList();
              long t0 = System.nanoTime();
              engines.get(which).model().scoreAll(obs);
              seconds[which][r] = (System.nanoTime() - t0) / 1e9;
            }
          }
          List<Score> a = djl.score(s.test());
          List<Score> b = i8.score(s.test());
          double[] va = a.stream().mapToDouble(Score::value).toArray();
          double[] vb = b.stream().mapToDouble(Score::value).toArray();
          long agree = IntStream.range(0, va.length).filter(i -> a.get(i).anomalous() == b.get(i).anomalous()).count();
          long flaggedA = a.stream().filter(Score::anomalous).count();
          long flaggedB = b.stream().filter(Score::anomalous).count();
          double mDjl = median(seconds[0]);
          double m32 = median(seconds[1]);
          double m8 = median(seconds[2]);
          System.out.printf(Locale.ROOT, "%-11s %7d %8d %8.2f %8.2f %9.2f %9.0f %7.2f %9.2f %9.4f %10s %8.3f %8.3f%n",
              shop.name(), va.length, events, mDjl, m32, m8, events / m8, m32 / m8, mDjl / m8, Metrics.spearman(va, vb),
              String.format(Locale.ROOT, "%.2f%%", 100.0 * agree / va.length), prAuc(a, s), prAuc(b, s));
          System.out.printf(Locale.ROOT, "%-11s flagged at the bundle's threshold (%s): DJL %d, int8 %d; graph %,d -> %,d "
              + "bytes; rounds djl %s fp32 %s int8 %s%n", "", djl.threshold().policy(), flaggedA, flaggedB,
              Files.size(fp32.resolve("detector/model.onnx")), Files.size(int8.resolve("detector/model.onnx")),
              Arrays.toString(round(seconds[0])), Arrays.toString(round(seconds[1])), Arrays.toString(round(seconds[2])));
        }
      }
    }
  }

  private static double prAuc(List<Score> scores, PretrainingBenchmark.Split s) {
    double[] v = scores.stream().mapToDouble(Score::value).toArray();
    boolean[] y = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      y[i] = s.labels().label(scores.get(i).key()).orElseThrow();
    }
    return Metrics.averagePrecision(v, y);
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 100) / 100.0).toArray();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
