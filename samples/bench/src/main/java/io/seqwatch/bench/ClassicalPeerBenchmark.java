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
 * shop traffic turned into behaviour features here, written to CSV and read by the Python peers in
 * the same run. Settings are matched (100 trees / 256 samples; k = 20; nu = 0.05, RBF gamma = 1/d on
 * standardised data); one thread on every side. Rounds alternate the sides (Seqwatch, then each
 * Python in turn, every detector once per side and round, after a warm-up on each), so that a
 * change in the machine's load hits all alike; the table gives medians over the rounds, the spread
 * (min-max), the load before and after, and the ratio peer time / Seqwatch time (above 1 =
 * Seqwatch faster) for each peer, with both ROC-AUCs.
 *
 * <p>Usage: {@code ClassicalPeerBenchmark [users] [rounds] [python[,python...]]} (for example the
 * current scikit-learn in a venv and Debian's). Thread-safety: a program.
 */
public final class ClassicalPeerBenchmark {
  private ClassicalPeerBenchmark() {}

  private static final Map<String, Map<String, String>> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put("isolation-forest", Map.of("trees", "100", "sample-size", "256"));
    SETTINGS.put("lof", Map.of("k", "20"));
    SETTINGS.put("ocsvm", Map.of("nu", "0.05", "max-train", "1000000"));
  }

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> pythons = List.of((args.length > 2 ? args[2] : "/usr/bin/python3").split(","));
    SimulatedData data = Simulator.builder().users(users).anomalyRate(0.05).seed(17).build().generate();
    List<BehaviorSequence> seqs = Grouping.byActor().group(Preprocessor.standard(), data.events());
    BehaviorFeatureExtractor fx = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    List<Observation> train = new ArrayList<>();
    List<Observation> test = new ArrayList<>();
    List<Boolean> testLabels = new ArrayList<>();
    Path dir = Files.createTempDirectory("seqwatch-bench");
    try (BufferedWriter tr = Files.newBufferedWriter(dir.resolve("train.csv"));
        BufferedWriter te = Files.newBufferedWriter(dir.resolve("test.csv"))) {
      for (BehaviorSequence s : seqs) {
        FeatureVector v = fx.extract(s);
        boolean isTrain = io.seqwatch.core.eval.HoldOut.trains(s.key());
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
    String loadBefore = load();
    System.out.printf(Locale.ROOT, "%,d users -> %,d train / %,d test sequences, %d features; %d alternating rounds; "
        + "%d cores, load %s%n", users, train.size(), test.size(), fx.schema().size(), rounds,
        Runtime.getRuntime().availableProcessors(), loadBefore);
    Registries reg = Registries.discover();
    // side -> detector -> seconds per round; side 0 is Seqwatch, then the pythons
    List<Map<String, List<Double>>> times = new ArrayList<>();
    List<Map<String, Double>> aucs = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    for (int side = 0; side <= pythons.size(); side++) {
      times.add(new LinkedHashMap<>());
      aucs.add(new LinkedHashMap<>());
      versions.add(side == 0 ? "Seqwatch" : "");
    }
    seqwatchRound(reg, train, test, y, null, null); // warm-up: the JIT
    for (int r = 0; r < rounds; r++) {
      seqwatchRound(reg, train, test, y, times.get(0), aucs.get(0));
      for (int k = 0; k < pythons.size(); k++) {
        versions.set(k + 1, peerRound(pythons.get(k), dir, times.get(k + 1), aucs.get(k + 1)));
      }
      System.out.printf(Locale.ROOT, "  round %d done, load %s%n", r + 1, load());
    }
    System.out.println();
    StringBuilder head = new StringBuilder("| detector | Seqwatch fit+score |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (int k = 1; k <= pythons.size(); k++) {
      head.append(" ").append(versions.get(k)).append(" | ratio |");
      rule.append("---|---|");
    }
    head.append(" ROC-AUC Seqwatch | ROC-AUC scikit-learn |");
    rule.append("---|---|");
    System.out.println(head);
    System.out.println(rule);
    for (String name : SETTINGS.keySet()) {
      double ours = median(times.get(0).get(name));
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s |", name, cell(times.get(0).get(name))));
      for (int k = 1; k <= pythons.size(); k++) {
        double peer = median(times.get(k).get(name));
        row.append(String.format(Locale.ROOT, " %s | %.2fx |", cell(times.get(k).get(name)), peer / ours));
      }
      row.append(String.format(Locale.ROOT, " %.3f | %.3f |", aucs.get(0).get(name), aucs.get(1).get(name)));
      System.out.println(row);
    }
    System.out.printf(Locale.ROOT, "%nmedians of %d rounds (min-max); load before %s, after %s%n", rounds, loadBefore,
        load());
  }

  /** Every detector fitted and scored once; times and ROC-AUCs recorded when maps are given. */
  private static void seqwatchRound(Registries reg, List<Observation> train, List<Observation> test, boolean[] y,
      Map<String, List<Double>> times, Map<String, Double> aucs) {
    for (Map.Entry<String, Map<String, String>> e : SETTINGS.entrySet()) {
      DetectorProvider p = reg.detectors().find(e.getKey());
      long t0 = System.nanoTime();
      try (Model m = p.create(Options.of(p.options(), e.getValue())).fit(TrainingSet.of(train, 42))) {
        double[] s = m.scoreAll(test);
        double sec = (System.nanoTime() - t0) / 1e9;
        if (times != null) {
          times.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(sec);
          aucs.put(e.getKey(), Metrics.rocAuc(s, y));
        }
      }
    }
  }

  /** One round of the Python peer (its own warm-up, then one timed run per detector); returns its version line. */
  private static String peerRound(String python, Path dir, Map<String, List<Double>> times, Map<String, Double> aucs)
      throws IOException, InterruptedException {
    Path script = Path.of(System.getProperty("seqwatch.bench.script", "samples/bench/python/peer_sklearn.py"));
    Process proc = new ProcessBuilder(python, script.toString(), dir.resolve("train.csv").toString(),
        dir.resolve("test.csv").toString(), "1").redirectErrorStream(true).start();
    String version = python;
    List<String> other = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 4 && f[0].equals("RESULT")) {
          times.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[2]));
          aucs.put(f[1], Double.parseDouble(f[3]));
        } else if (line.startsWith("scikit-learn ")) {
          version = line.substring(0, line.indexOf(',') > 0 ? line.indexOf(',') : line.length());
        } else {
          other.add(line);
        }
      }
    }
    if (proc.waitFor() != 0) {
      throw new IOException("the scikit-learn peer " + python + " failed: " + String.join("\n", other));
    }
    return version;
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    java.util.Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static String cell(List<Double> v) {
    return String.format(Locale.ROOT, "%.3f s (%.3f-%.3f)", median(v), java.util.Collections.min(v),
        java.util.Collections.max(v));
  }

  private static String load() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
