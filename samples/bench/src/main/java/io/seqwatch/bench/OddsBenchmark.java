package io.seqwatch.bench;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * PyOD's benchmark protocol on the ODDS tables: 10 random 60/40 train/test splits, features
 * standardised with the training part's mean and standard deviation, each detector fitted with
 * its defaults on the training part and ranked by ROC-AUC on the test part; the mean over splits
 * is printed next to PyOD's published figure ({@code pyod_benchmark_roc.csv}) for the same
 * algorithm.
 *
 * <p>Usage: {@code OddsBenchmark [odds-folder] [splits]}. Thread-safety: a program; the static
 * methods are stateless.
 */
public final class OddsBenchmark {
  /**
   * A detector compared with a PyOD algorithm: our name, PyOD's column, and the options that set
   * PyOD's defaults where ours differ (PyOD's KNN uses 5 neighbours, its OCSVM nu = 0.5; ours 20
   * and 0.05, chosen for behaviour data where a handful of bots form tight clusters).
   */
  public record Peer(String detector, String column, Map<String, String> pyodOptions) {}

  public static final List<Peer> PEERS = List.of(
      new Peer("isolation-forest", "IForest", Map.of()),
      new Peer("lof", "LOF", Map.of()),
      new Peer("knn", "KNN", Map.of("k", "5")),
      new Peer("ocsvm", "OCSVM", Map.of("nu", "0.5")),
      new Peer("hbos", "HBOS", Map.of()));

  /** The datasets shipped as CSV. */
  public static final List<String> DATASETS = List.of("cardio", "wbc", "letter", "pendigits", "satellite", "shuttle");

  private OddsBenchmark() {}

  /** A labelled table: rows of features and whether each is an outlier. */
  public record Table(double[][] x, boolean[] y) {}

  /** Reads {@code f1..fd,label}. */
  public static Table read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int n = lines.size() - 1;
    double[][] x = new double[n][];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i + 1).split(",");
      x[i] = new double[f.length - 1];
      for (int j = 0; j < f.length - 1; j++) {
        x[i][j] = Double.parseDouble(f[j]);
      }
      y[i] = Double.parseDouble(f[f.length - 1]) != 0;
    }
    return new Table(x, y);
  }

  /** PyOD's published ROC-AUC by dataset and PyOD column. */
  public static Map<String, Map<String, Double>> published(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String[] head = lines.get(0).split(",");
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      Map<String, Double> row = new LinkedHashMap<>();
      for (int j = 4; j < f.length; j++) {
        row.put(head[j], Double.parseDouble(f[j]));
      }
      out.put(f[0], row);
    }
    return out;
  }

  /** Mean test ROC-AUC of {@code detector} with {@code options} over {@code splits} random 60/40 splits. */
  public static double meanRocAuc(Registries registries, String detector, Map<String, String> options, Table t,
      int splits, long seed) {
    DetectorProvider p = registries.detectors().find(detector);
    Options opts = Options.of(p.options(), options);
    double sum = 0;
    for (int s = 0; s < splits; s++) {
      Random r = new Random(seed + s);
      int n = t.y().length;
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
      }
      int nTrain = (int) Math.round(n * 0.6);
      int d = t.x()[0].length;
      double[] mean = new double[d];
      double[] sd = new double[d];
      for (int i = 0; i < nTrain; i++) {
        for (int j = 0; j < d; j++) {
          mean[j] += t.x()[idx[i]][j] / nTrain;
        }
      }
      for (int i = 0; i < nTrain; i++) {
        for (int j = 0; j < d; j++) {
          double v = t.x()[idx[i]][j] - mean[j];
          sd[j] += v * v / nTrain;
        }
      }
      FeatureSchema schema = schema(d);
      List<Observation> train = new ArrayList<>();
      List<Observation> test = new ArrayList<>();
      boolean[] y = new boolean[n - nTrain];
      for (int i = 0; i < n; i++) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
          double s0 = Math.sqrt(sd[j]);
          v[j] = (t.x()[idx[i]][j] - mean[j]) / (s0 > 0 ? s0 : 1);
        }
        Observation o = Observation.of(new FeatureVector(Integer.toString(idx[i]), schema, v));
        if (i < nTrain) {
          train.add(o);
        } else {
          test.add(o);
          y[i - nTrain] = t.y()[idx[i]];
        }
      }
      try (Model m = p.create(opts).fit(TrainingSet.of(train, seed + s))) {
        sum += Metrics.rocAuc(m.scoreAll(test), y);
      }
    }
    return sum / splits;
  }

  private static FeatureSchema schema(int d) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + (j + 1));
    }
    return new FeatureSchema(names);
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/odds");
    int splits = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Registries reg = Registries.discover();
    Map<String, Map<String, Double>> pub = published(dir.resolve("pyod_benchmark_roc.csv"));
    StringBuilder head = new StringBuilder("| dataset |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Peer p : PEERS) {
      head.append(" `").append(p.detector()).append("`").append(p.pyodOptions().isEmpty() ? ""
          : " " + p.pyodOptions().toString().replaceAll("[{}]", "")).append(" | PyOD ").append(p.column()).append(" |");
      rule.append("---|---|");
    }
    System.out.println(head);
    System.out.println(rule);
    for (String ds : DATASETS) {
      Table t = read(dir.resolve(ds + ".csv"));
      StringBuilder row = new StringBuilder("| " + ds + " |");
      for (Peer p : PEERS) {
        double ours = meanRocAuc(reg, p.detector(), p.pyodOptions(), t, splits, 42);
        Double theirs = pub.getOrDefault(ds, Map.of()).get(p.column());
        row.append(String.format(Locale.ROOT, " %.4f | %s |", ours,
            theirs == null ? "-" : String.format(Locale.ROOT, "%.4f", theirs)));
      }
      System.out.println(row);
      System.out.flush();
    }
  }
}
