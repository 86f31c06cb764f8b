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
 * (Debian {@code python3-torch}) on the HDFS training data, side by side in one run: DeepLog's 2x64
 * LSTM, embedding 16, window 10, batch 256, Adam, a fixed number of epochs (no early stopping), one
 * intra-op thread on both sides. Both sides get the identical token ids (written to a file here).
 *
 * <p>Usage: {@code NeuralPeerBenchmark <hdfs_train> [epochs] [python]}. Thread-safety: a program.
 */
public final class NeuralPeerBenchmark {
  private NeuralPeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path hdfs = Path.of(args.length > 0 ? args[0] : "../shared/data/hdfs/hdfs_train");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String python = args.length > 2 ? args[2] : "/usr/bin/python3";
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
    long t0 = System.nanoTime();
    double javaTrain;
    double javaScore;
    try (Model m = p.create(Options.of(p.options(), o)).fit(new TrainingSet(obs, Optional.empty(),
        enc.vocabulary(), 1, TrainingListener.NONE))) {
      javaTrain = (System.nanoTime() - t0) / 1e9;
      m.scoreAll(obs.subList(0, 200)); // warm-up
      long t1 = System.nanoTime();
      m.scoreAll(obs);
      javaScore = (System.nanoTime() - t1) / 1e9;
    }
    System.out.printf(Locale.ROOT, "  seqwatch lstm (DJL %s): train %.1f s, score %.2f s%n", "0.36.0", javaTrain, javaScore);
    Path script = Path.of(System.getProperty("seqwatch.bench.neural", "samples/bench/python/peer_torch.py"));
    Process proc = new ProcessBuilder(python, script.toString(), ids.toString(), Integer.toString(vocabulary),
        Integer.toString(epochs)).redirectErrorStream(true).start();
    double pyTrain = Double.NaN;
    double pyScore = Double.NaN;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 3 && f[0].equals("RESULT")) {
          pyTrain = Double.parseDouble(f[1]);
          pyScore = Double.parseDouble(f[2]);
        } else {
          System.out.println("  " + line);
        }
      }
    }
    if (proc.waitFor() != 0) {
      throw new IOException("the PyTorch peer failed (is python3-torch installed?)");
    }
    System.out.println();
    System.out.println("| lstm 2x64, window 10, HDFS train | Seqwatch (DJL PyTorch) | PyTorch-Python | ratio (Python / Seqwatch) |");
    System.out.println("|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| training, %d epochs | %.1f s (%,.0f windows/s) | %.1f s (%,.0f windows/s) | %.2fx |%n", epochs,
        javaTrain, windows * epochs / javaTrain, pyTrain, windows * epochs / pyTrain, pyTrain / javaTrain);
    System.out.printf(Locale.ROOT, "| scoring all windows once | %.2f s (%,.0f windows/s) | %.2f s (%,.0f windows/s) | %.2fx |%n",
        javaScore, windows / javaScore, pyScore, windows / pyScore, pyScore / javaScore);
  }
}
