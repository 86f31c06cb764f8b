package io.seqwatch.bench;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.features.BehaviorFeatureExtractor;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fit + score time of {@code isolation-forest}, {@code lof} and {@code ocsvm} against scikit-learn's
 * IsolationForest, LocalOutlierFactor(novelty=True) and OneClassSVM on identical data: simulated
 * shop traffic turned into behaviour features here, written to CSV and read by the Python peer in
 * the same run. Settings are matched (100 trees / 256 samples; k = 20; nu = 0.05, RBF gamma = 1/d on
 * standardised data). Each side is timed best of {@code --repeats} after a warm-up. Prints a table
 * with the ratio peer time / Seqwatch time (above 1 = Seqwatch faster) and both ROC-AUCs.
 *
 * <p>Usage: {@code ClassicalPeerBenchmark [users] [repeats] [python]}. Thread-safety: a program.
 */
public final class ClassicalPeerBenchmark {
  private ClassicalPeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String python = args.length > 2 ? args[2] : "/usr/bin/python3";
    SimulatedData data = Simulator.builder().users(users).anomalyRate(0.05).seed(17).build().generate();
    List<BehaviorSequence> seqs = Grouping.byActor().group(Preprocessor.standard().apply(data.events()));
    BehaviorFeatureExtractor fx = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    List<Observation> train = new ArrayList<>();
    List<Observation> test = new ArrayList<>();
    List<Boolean> testLabels = new ArrayList<>();
    Path dir = Files.createTempDirectory("seqwatch-bench");
    try (BufferedWriter tr = Files.newBufferedWriter(dir.resolve("train.csv"));
        BufferedWriter te = Files.newBufferedWriter(dir.resolve("test.csv"))) {
      for (BehaviorSequence s : seqs) {
        FeatureVector v = fx.extract(s);
        boolean isTrain = Math.floorMod(s.key().hashCode(), 2) == 0;
        StringBuilder line = new StringBuilder();
        for (double x : v.values()) {
          line.append(line.length() == 0 ? "" : ",").append(x);
        }
        if (isTrain) {
          train.add(Observation.of(v));
          tr.write(line.toString());
          tr.newLine();
        } else {
          boolean y = data.labels().label(s.key()).orElseThrow();
          test.add(Observation.of(v));
          testLabels.add(y);
          te.write(line + "," + (y ? 1 : 0));
          te.newLine();
        }
      }
    }
    boolean[] y = new boolean[testLabels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = testLabels.get(i);
    }
    System.out.printf(Locale.ROOT, "%,d users -> %,d train / %,d test sequences, %d features; best of %d%n",
        users, train.size(), test.size(), fx.schema().size(), repeats);
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    settings.put("isolation-forest", Map.of("trees", "100", "sample-size", "256"));
    settings.put("lof", Map.of("k", "20"));
    settings.put("ocsvm", Map.of("nu", "0.05", "max-train", "1000000"));
    Registries reg = Registries.discover();
    Map<String, double[]> ours = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : settings.entrySet()) {
      DetectorProvider p = reg.detectors().find(e.getKey());
      double best = Double.POSITIVE_INFINITY;
      double auc = 0;
      for (int r = 0; r <= repeats; r++) { // r = 0 warms up the JIT
        long t0 = System.nanoTime();
        try (Model m = p.create(Options.of(p.options(), e.getValue())).fit(TrainingSet.of(train, 42))) {
          double[] s = m.scoreAll(test);
          double sec = (System.nanoTime() - t0) / 1e9;
          if (r > 0) {
            best = Math.min(best, sec);
          }
          auc = Metrics.rocAuc(s, y);
        }
      }
      ours.put(e.getKey(), new double[] {best, auc});
      System.out.printf(Locale.ROOT, "  seqwatch %-17s %8.3f s  ROC-AUC %.3f%n", e.getKey(), best, auc);
    }
    Path script = Path.of(System.getProperty("seqwatch.bench.script", "samples/bench/python/peer_sklearn.py"));
    Process proc = new ProcessBuilder(python, script.toString(), dir.resolve("train.csv").toString(),
        dir.resolve("test.csv").toString(), Integer.toString(repeats)).redirectErrorStream(true).start();
    Map<String, double[]> peer = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 4 && f[0].equals("RESULT")) {
          peer.put(f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
        } else {
          System.out.println("  " + line);
        }
      }
    }
    if (proc.waitFor() != 0) {
      throw new IOException("the scikit-learn peer failed (is python3-sklearn installed?)");
    }
    System.out.println();
    System.out.println("| detector | Seqwatch fit+score (s) | scikit-learn fit+score (s) | ratio (sklearn / Seqwatch) | ROC-AUC Seqwatch | ROC-AUC scikit-learn |");
    System.out.println("|---|---|---|---|---|---|");
    for (String name : ours.keySet()) {
      double[] a = ours.get(name);
      double[] b = peer.get(name);
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2fx | %.3f | %.3f |%n", name, a[0], b[0], b[0] / a[0], a[1], b[1]);
    }
  }
}
