package io.seqwatch.bench;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.inject.Injector;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What pretraining buys, on the real shop logs with attacks grafted in by the injector (5 %): each
 * log's actors are split in two by a hash of the id, a training pool and a test half.
 * <ul>
 *   <li><b>learning curve</b>: the {@code masked-transformer} encoder is pretrained on the whole
 *       pool without labels; then for N = 10, 50, 200 and 1000 labelled sequences drawn from the pool
 *       (seeded; at least two anomalous) {@code transformer-classifier} fine-tunes a head on the
 *       encoder and {@code classifier} trains from scratch on the same N. PR-AUC on the test half,
 *       next to the unlabelled encoder's own score and to the sequences' length alone.</li>
 *   <li><b>transfer</b>: an encoder pretrained on Taobao's pool, adapted for one epoch on REES46's or
 *       Diginetica's pool ({@code pretrained=}), against the encoder trained there from scratch; and
 *       50 labels on the target fine-tuned on either encoder.</li>
 * </ul>
 * Every fit uses the detectors' defaults; {@code samples/bench/run.sh pretraining [seeds] [labels]}.
 */
public final class PretrainingBenchmark {
  private PretrainingBenchmark() {}

  record Split(List<BehaviorSequence> pool, List<BehaviorSequence> test, Labels labels) {}

  static Split split(QualityBenchmark.Shop shop, Path data, long seed) throws IOException {
    List<BehaviorEvent> real = QualityBenchmark.sample(shop, QualityBenchmark.read(shop.format(), data.resolve(shop.file())));
    Injector.Injected inj = Injector.builder().rate(0.05).seed(seed).build().inject(real);
    List<BehaviorSequence> all = Pipeline.builder().detector("masked-transformer").build().sequences(inj.merged(real));
    List<BehaviorSequence> pool = new ArrayList<>();
    List<BehaviorSequence> test = new ArrayList<>();
    for (BehaviorSequence s : all) {
      // bit 16 of the mixed hash: the low bits are the ones QualityBenchmark.sample kept Taobao's actors by
      (((s.key().hashCode() * 0x9E3779B1) >>> 16 & 1) == 0 ? pool : test).add(s);
    }
    return new Split(pool, test, inj.labels());
  }

  static double prAuc(FittedPipeline f, Split s) {
    List<Score> scores = f.score(s.test());
    double[] v = scores.stream().mapToDouble(Score::value).toArray();
    boolean[] y = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      y[i] = s.labels().label(scores.get(i).key()).orElseThrow();
    }
    return Metrics.averagePrecision(v, y);
  }

  /**
   * The PR-AUC of the sequences' length alone (longer = more anomalous) on the test half: how much of
   * a log's grafted attacks a count of events already finds.
   */
  static double lengthAlone(Split s) {
    double[] v = new double[s.test().size()];
    boolean[] y = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.test().get(i).events().size();
      y[i] = s.labels().label(s.test().get(i).key()).orElseThrow();
    }
    return Metrics.averagePrecision(v, y);
  }

  /** Pretrains on the pool (unlabelled) into {@code dir}; the encoder's own PR-AUC on the test half. */
  static double pretrain(Split s, Path dir, Map<String, String> options, long seed) {
    Map<String, String> o = new LinkedHashMap<>(options);
    o.put("checkpoint-dir", dir.toString());
    try (FittedPipeline f = Pipeline.builder().detector("masked-transformer").options(o).threshold("quantile:0.99")
        .seed(seed).build().fit(s.pool())) {
      return prAuc(f, s);
    }
  }

  /** {@code n} labelled pool sequences, seeded, with at least two anomalous ones. */
  static List<BehaviorSequence> labelled(Split s, int n, long seed) {
    List<BehaviorSequence> order = new ArrayList<>(s.pool());
    Collections.shuffle(order, new Random(seed * 31 + n));
    List<BehaviorSequence> out = new ArrayList<>(order.subList(0, Math.min(n, order.size())));
    long positives = out.stream().filter(q -> s.labels().label(q.key()).orElse(false)).count();
    for (BehaviorSequence q : order.subList(out.size(), order.size())) {
      if (positives >= 2) {
        break;
      }
      if (s.labels().label(q.key()).orElse(false)) {
        for (int i = out.size() - 1; i >= 0; i--) { // replace the last normal one
          if (!s.labels().label(out.get(i).key()).orElse(false)) {
            out.set(i, q);
            positives++;
            break;
          }
        }
      }
    }
    return out;
  }

  static double supervised(String detector, Map<String, String> options, List<BehaviorSequence> train, Split s, long seed) {
    try (FittedPipeline f = Pipeline.builder().detector(detector).options(options).seed(seed).build()
        .fit(train, List.of(), s.labels())) {
      return prAuc(f, s);
    }
  }

  /**
   * The fine-tuning options: the encoder {@code dir}, and {@code -Dseqwatch.bench.head=k=v,...} to
   * compare a candidate default (the published tables use none).
   */
  static Map<String, String> head(Path dir) {
    Map<String, String> o = new LinkedHashMap<>(QualityBenchmark.keyValues("seqwatch.bench.head"));
    o.put("pretrained", dir.toString());
    return o;
  }

  public static void main(String[] args) throws IOException {
    long[] seeds = Arrays.stream((args.length > 0 ? args[0] : "1").split(",")).mapToLong(Long::parseLong).toArray();
    int[] sizes = Arrays.stream((args.length > 1 ? args[1] : "10,50,200,1000").split(",")).mapToInt(Integer::parseInt).toArray();
    Path data = Path.of(args.length > 2 ? args[2] : "../shared/data");
    Path work = Files.createTempDirectory("seqwatch-pretraining");
    StringBuilder curve = new StringBuilder("| data | labels | `classifier` from scratch | `transformer-classifier` on the pretrained encoder | encoder alone, no labels | length alone |\n|---|---|---|---|---|---|\n");
    StringBuilder transfer = new StringBuilder("| target | encoder, no labels: from scratch | pretrained on Taobao, adapted 1 epoch | 50 labels on the target's encoder | 50 labels on Taobao's encoder |\n|---|---|---|---|---|\n");
    for (long seed : seeds) {
      Map<String, Split> splits = new LinkedHashMap<>();
      Map<String, Path> encoders = new LinkedHashMap<>();
      Map<String, Double> alone = new LinkedHashMap<>();
      for (QualityBenchmark.Shop shop : QualityBenchmark.SHOPS) {
        Split s = split(shop, data, seed);
        splits.put(shop.name(), s);
        Path dir = work.resolve(shop.name() + "-" + seed);
        long t0 = System.nanoTime();
        alone.put(shop.name(), pretrain(s, dir, Map.of(), seed));
        encoders.put(shop.name(), dir);
        System.err.printf(Locale.ROOT, "%s seed %d: pretrained on %,d unlabelled sequences in %.1f s, encoder alone PR-AUC %.3f%n",
            shop.name(), seed, s.pool().size(), (System.nanoTime() - t0) / 1e9, alone.get(shop.name()));
        double length = lengthAlone(s);
        for (int n : sizes) {
          List<BehaviorSequence> train = labelled(s, n, seed);
          double scratch = supervised("classifier", Map.of(), train, s, seed);
          double tuned = supervised("transformer-classifier", head(dir), train, s, seed);
          System.err.printf(Locale.ROOT, "%s seed %d, %d labels: classifier %.3f, transformer-classifier %.3f%n",
              shop.name(), seed, n, scratch, tuned);
          curve.append(String.format(Locale.ROOT, "| %s (seed %d) | %d | %.3f | %.3f | %.3f | %.3f |%n", shop.name(), seed, n,
              scratch, tuned, alone.get(shop.name()), length));
        }
      }
      for (String target : List.of("rees46", "diginetica")) {
        Split s = splits.get(target);
        double adapted = pretrain(s, work.resolve("taobao-to-" + target + "-" + seed),
            Map.of("pretrained", encoders.get("taobao").toString(), "epochs", "1"), seed);
        List<BehaviorSequence> train = labelled(s, 50, seed);
        double own = supervised("transformer-classifier", head(encoders.get(target)), train, s, seed);
        double carried = supervised("transformer-classifier", head(encoders.get("taobao")), train, s, seed);
        System.err.printf(Locale.ROOT, "%s seed %d: scratch %.3f, taobao-adapted %.3f; 50 labels own %.3f, taobao %.3f%n",
            target, seed, alone.get(target), adapted, own, carried);
        transfer.append(String.format(Locale.ROOT, "| %s (seed %d) | %.3f | %.3f | %.3f | %.3f |%n", target, seed,
            alone.get(target), adapted, own, carried));
      }
    }
    System.out.println("PR-AUC on the test half (5 % attacks grafted in), by labelled sequences:\n");
    System.out.println(curve);
    System.out.println("Transfer from Taobao, PR-AUC on the target's test half:\n");
    System.out.println(transfer);
  }
}
