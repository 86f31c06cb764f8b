package io.seqwatch.bench;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Observation;
import io.seqwatch.core.features.TokenSequenceEncoder;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingListener;
import io.seqwatch.spi.TrainingSet;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lstm} training time and scoring throughput against the same architecture in PyTorch-Python
 * on the HDFS training data, side by side in one run: DeepLog's 2x64 LSTM, embedding 16, window 10,
 * batch 256, Adam with gradients clipped to [-5, 5], a fixed number of epochs (no early stopping),
 * one intra-op thread on every side, the identical token ids (written to a file here). Both sides
 * time the same work: the epochs after the first (from the end of epoch 1 to the end of the last;
 * windows are built and the engines started before), and scoring after a warm-up. Rounds alternate
 * Seqwatch and each Python given (for example PyTorch 2.13 from the pip wheel and Debian's); medians
 * with min-max. Both sides run with the environment's oneDNN settings (no instruction-set cap
 * unless {@code ONEDNN_MAX_CPU_ISA} is set, which then applies to every side).
 *
 * <p>Usage: {@code NeuralPeerBenchmark <hdfs_train> [epochs] [python[,python...]] [rounds]}.
 * Thread-safety: a program.
 */
public final class NeuralPeerBenchmark {
  private NeuralPeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path hdfs = Path.of(args.length > 0 ? args[0] : "../shared/data/hdfs/hdfs_train");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> pythons = List.of((args.length > 2 ? args[2] : "/usr/bin/python3").split(","));
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("tokens").read(hdfs, events::add, r -> {});
    List<BehaviorSequence> seqs = Grouping.byActor().group(events);
    FittedSequenceEncoder enc = new TokenSequenceEncoder(1, 10_000, 2).fit(seqs);
    List<Observation> obs = new ArrayList<>();
    Path ids = Files.createTempFile("seqwatch-hdfs-ids", ".txt");
    long windows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(ids)) {
      for (BehaviorSequence s : seqs) {
        int[] t = enc.encode(s).tokens();
        obs.add(Observation.of(enc.encode(s)));
        windows += t.length + 1;
        StringBuilder line = new StringBuilder();
        for (int x : t) {
          line.append(line.length() == 0 ? "" : " ").append(x);
        }
        w.write(line.toString());
        w.newLine();
      }
    }
    int vocabulary = enc.vocabularySize();
    System.out.printf(Locale.ROOT, "HDFS: %,d sequences, %,d next-event windows, vocabulary %d; %d epochs%n",
        seqs.size(), windows, vocabulary, epochs);
    DetectorProvider p = Registries.discover().detectors().find("lstm");
    Map<String, String> o = Map.of("hidden", "64", "layers", "2", "embedding", "16", "window", "10", "batch", "256",
        "epochs", Integer.toString(epochs), "validation", "0", "warmup", "0", "learning-rate", "0.002", "device", "cpu");
    if (epochs < 2) {
      throw new IllegalArgumentException("epochs must be at least 2: epochs after the first are timed");
    }
    List<List<double[]>> results = new ArrayList<>(); // side -> rounds -> {train, score}
    List<String> names = new ArrayList<>(List.of("Seqwatch (DJL 0.36, PyTorch 2.7.1)"));
    for (int k = 0; k <= pythons.size(); k++) {
      results.add(new ArrayList<>());
      if (k > 0) {
        names.add(pythons.get(k - 1));
      }
    }
    for (int r = 0; r < rounds; r++) {
      results.get(0).add(seqwatch(p, o, obs, enc));
      for (int k = 0; k < pythons.size(); k++) {
        String[] name = new String[1];
        results.get(k + 1).add(peer(pythons.get(k), ids, vocabulary, epochs, name));
        names.set(k + 1, name[0]);
      }
      System.out.printf(Locale.ROOT, "  round %d done, load %s%n", r + 1, load());
    }
    long timed = windows * (epochs - 1);
    System.out.println();
    StringBuilder head = new StringBuilder("| lstm 2x64, window 10, HDFS train |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int k = 0; k < names.size(); k++) {
      head.append(" ").append(names.get(k)).append(k > 0 ? " | ratio |" : " |");
      rule.append(k > 0 ? "---|---|" : "---|");
    }
    System.out.println(head);
    System.out.println(rule);
    for (int metric = 0; metric < 2; metric++) {
      long work = metric == 0 ? timed : windows;
      StringBuilder row = new StringBuilder(metric == 0 ? "| training, epochs 2-" + epochs + " |"
          : "| scoring all windows once |");
      double ours = median(results.get(0), metric);
      for (int k = 0; k < results.size(); k++) {
        double m = median(results.get(k), metric);
        row.append(String.format(Locale.ROOT, " %.2f s (%.2f-%.2f), %,.0f windows/s |", m, min(results.get(k), metric),
            max(results.get(k), metric), work / m));
        if (k > 0) {
          row.append(String.format(Locale.ROOT, " %.2fx |", m / ours));
        }
      }
      System.out.println(row);
    }
    System.out.printf(Locale.ROOT, "%nmedians of %d alternating rounds (min-max), ratio = peer time / Seqwatch time; "
        + "load %s%n", rounds, load());
  }

  /** One Seqwatch fit (epochs after the first timed by the training listener) and one scoring pass. */
  private static double[] seqwatch(DetectorProvider p, Map<String, String> o, List<Observation> obs,
      FittedSequenceEncoder enc) {
    long[] ends = new long[2]; // end of epoch 1, end of the last
    TrainingListener l = (step, total, message) -> ends[step == 1 ? 0 : 1] = System.nanoTime();
    try (Model m = p.create(Options.of(p.options(), o)).fit(new TrainingSet(obs, Optional.empty(),
        enc.vocabulary(), 1, l))) {
      m.scoreAll(obs.subList(0, 200)); // warm-up
      long t1 = System.nanoTime();
      m.scoreAll(obs);
      return new double[] {(ends[1] - ends[0]) / 1e9, (System.nanoTime() - t1) / 1e9};
    }
  }

  private static double[] peer(String python, Path ids, int vocabulary, int epochs, String[] name)
      throws IOException, InterruptedException {
    Path script = Path.of(System.getProperty("seqwatch.bench.neural", "samples/bench/python/peer_torch.py"));
    ProcessBuilder pb = new ProcessBuilder(python, script.toString(), ids.toString(), Integer.toString(vocabulary),
        Integer.toString(epochs)).redirectErrorStream(true);
    Process proc = pb.start();
    double[] out = {Double.NaN, Double.NaN};
    name[0] = python;
    List<String> other = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 3 && f[0].equals("RESULT")) {
          out[0] = Double.parseDouble(f[1]);
          out[1] = Double.parseDouble(f[2]);
        } else if (line.startsWith("PyTorch ")) {
          name[0] = line.substring(0, line.indexOf(',') > 0 ? line.indexOf(',') : line.length()) + "-Python";
        } else {
          other.add(line);
        }
      }
    }
    if (proc.waitFor() != 0 || Double.isNaN(out[0])) {
      throw new IOException("the PyTorch peer " + python + " failed: " + String.join("\n", other));
    }
    return out;
  }

  private static double median(List<double[]> v, int k) {
    double[] s = v.stream().mapToDouble(x -> x[k]).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(List<double[]> v, int k) {
    return v.stream().mapToDouble(x -> x[k]).min().orElse(Double.NaN);
  }

  private static double max(List<double[]> v, int k) {
    return v.stream().mapToDouble(x -> x[k]).max().orElse(Double.NaN);
  }

  private static String load() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
