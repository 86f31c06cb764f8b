package io.seqwatch.bench;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Observation;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.inject.Injector;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.TextFiles;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.registry.Registries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Detection quality of every detector with its defaults on data the project did not generate:
 *
 * <ul>
 *   <li><b>shop</b>: the real Taobao, REES46 and Diginetica samples with attacks grafted in by
 *       {@link Injector} at several rates and seeds; each detector trains unlabelled on the log
 *       (attacks included, as a risk team would) and scores it; grouping by actor.
 *   <li><b>hdfs</b>: trained on the normal HDFS sessions, scored on the labelled file.
 * </ul>
 *
 * It prints, per detector and dataset (averaged over rates and seeds): ROC-AUC, PR-AUC, recall
 * and false-positive rate at the bundle's default threshold, recall at 1 % FPR, and recall per
 * attack kind at 1 % FPR. A baseline row {@code bigram-mean} (a bigram model with add-one
 * smoothing scored by its mean per-event log-likelihood, a few lines below) shows what a simple
 * peer reaches on the same token sequences, and {@code length-alone} what the number of events
 * alone tells ({@code -Dseqwatch.bench.lengths=log} cuts attackers to people's lengths). No detector
 * gets options: one default configuration each, the same everywhere.
 *
 * <p>Usage: {@code QualityBenchmark [detectors|all] [seeds] [rates] [data-folder]}, for example
 * {@code QualityBenchmark markov,isolation-forest 1,2,3 0.01,0.05,0.1}. Thread-safety: a program.
 */
public final class QualityBenchmark {
  static final List<String> ALL = List.of("zscore", "mad", "iqr", "hbos", "isolation-forest", "knn", "lof",
      "kmeans", "dbscan", "ocsvm", "ensemble", "markov", "gru", "lstm", "transformer", "lstm-autoencoder",
      "autoencoder", "gan", "bigram-mean", "length-alone", "sklearn-iforest", "sklearn-lof");

  /** Peer rows: scikit-learn on a hand-made per-user table ({@code python/peer_table.py}); shops only. */
  static final List<String> PEERS = List.of("sklearn-iforest", "sklearn-lof");

  /** The Python that runs the peers ({@code -Dseqwatch.bench.python=...}; run.sh passes a venv with scikit-learn). */
  static final String PYTHON = System.getProperty("seqwatch.bench.python", "python3");

  private QualityBenchmark() {}

  /** A threshold policy instead of the default, to compare policies ({@code -Dseqwatch.bench.threshold=evt:0.01}). */
  static final String THRESHOLD = System.getProperty("seqwatch.bench.threshold");

  /** A folder to write every run's scores and labels to ({@code -Dseqwatch.bench.dump=DIR}), for offline analysis. */
  static final String DUMP = System.getProperty("seqwatch.bench.dump");

  /**
   * Detector options for every detector of the run ({@code -Dseqwatch.bench.options=aggregate=mean,top-k=5}),
   * to compare a candidate default against the current one; the published tables use none.
   */
  static final Map<String, String> OPTIONS = keyValues("seqwatch.bench.options");

  /** Representation options for every run ({@code -Dseqwatch.bench.encode=token=action+gap}). */
  static final Map<String, String> ENCODE = keyValues("seqwatch.bench.encode");

  /** A system property {@code k=v,k2=v2} as a map; empty when unset. */
  static Map<String, String> keyValues(String property) {
    String v = System.getProperty(property);
    return v == null ? Map.of() : Arrays.stream(v.split(",")).map(kv -> kv.split("=", 2))
        .collect(java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }

  /**
   * A folder to write each run's feature table to ({@code -Dseqwatch.bench.features=DIR}: key, the
   * behaviour features, label), readable by {@code --format features} and by other tools.
   */
  static final String FEATURES = System.getProperty("seqwatch.bench.features");

  /**
   * Whether the injector gives real actors and attackers device, IP and user-agent attributes
   * ({@code -Dseqwatch.bench.signals=true}), to measure what the traffic-signal features add.
   */
  static final boolean SIGNALS = Boolean.getBoolean("seqwatch.bench.signals");

  /**
   * How the shop logs become sequences ({@code -Dseqwatch.bench.group-by=gap:30m} or {@code session});
   * by actor when unset. Under another grouping an actor's result is its highest-scoring sequence
   * (flagged when any of its sequences is), so the figures stay per actor, as the labels are.
   */
  static final String GROUP_BY = System.getProperty("seqwatch.bench.group-by");

  /** Datasets to run ({@code -Dseqwatch.bench.only=hdfs,taobao}); all when unset. */
  static final List<String> ONLY = System.getProperty("seqwatch.bench.only") == null ? List.of()
      : List.of(System.getProperty("seqwatch.bench.only").split(","));

  /**
   * HDFS's natural share of anomalous sessions: 16,838 of the 575,061 blocks of the full HDFS log
   * (Xu et al., SOSP 2009). The labelled file is balanced (1,000 / 1,000); F1 at the natural ratio
   * weighs its false positives by (1 - p) / p to what the full log would give.
   */
  static final double HDFS_NATURAL = 16_838 / 575_061.0;

  static boolean selected(String dataset) {
    return ONLY.isEmpty() || ONLY.contains(dataset);
  }

  /** The baseline's row name. */
  static final String BASELINE = "bigram-mean";

  /** A row that ranks sequences by their number of events, longest first: what length alone tells. */
  static final String LENGTH = "length-alone";

  /**
   * Whether each attacker is cut to the length of a real sequence drawn from the log
   * ({@code -Dseqwatch.bench.lengths=log}; {@link Injector.Builder#lengthsLikeLog}), so that length
   * alone does not tell attackers apart; each kind's own length when unset.
   */
  static final boolean LENGTHS_LIKE_LOG = "log".equals(System.getProperty("seqwatch.bench.lengths"));

  /** One scored run: per key the key, score, label, default-threshold decision, kind. */
  record Run(String[] keys, double[] scores, boolean[] labels, boolean[] decided, String[] kinds) {}

  /** Aggregated metrics of one run. */
  record Result(double roc, double pr, double recall, double fpr, double recallAt1, Map<String, double[]> kinds) {
    /** F1 at the default threshold when anomalies are a share {@code p} of all keys. */
    double f1(double p) {
      double tp = recall * p;
      double fp = fpr * (1 - p);
      return tp == 0 ? 0 : 2 * tp / (2 * tp + fp + (1 - recall) * p);
    }
  }

  static Result measure(Run r) {
    double roc = Metrics.rocAuc(r.scores(), r.labels());
    double pr = Metrics.averagePrecision(r.scores(), r.labels());
    int pos = 0;
    int neg = 0;
    int tp = 0;
    int fp = 0;
    List<Double> negatives = new ArrayList<>();
    for (int i = 0; i < r.scores().length; i++) {
      if (r.labels()[i]) {
        pos++;
        tp += r.decided()[i] ? 1 : 0;
      } else {
        neg++;
        fp += r.decided()[i] ? 1 : 0;
        negatives.add(r.scores()[i]);
      }
    }
    negatives.sort((a, b) -> Double.compare(b, a));
    // the score above which at most 1 % of the normal keys lie
    double cut = negatives.get(Math.min(negatives.size() - 1, (int) Math.floor(0.01 * neg)));
    Map<String, double[]> kinds = new TreeMap<>();
    int caught = 0;
    for (int i = 0; i < r.scores().length; i++) {
      if (r.labels()[i]) {
        boolean hit = r.scores()[i] > cut;
        caught += hit ? 1 : 0;
        double[] k = kinds.computeIfAbsent(r.kinds()[i], x -> new double[2]);
        k[0]++;
        k[1] += hit ? 1 : 0;
      }
    }
    return new Result(roc, pr, tp / (double) pos, fp / (double) neg, caught / (double) pos, kinds);
  }

  /** Fits {@code detector} with defaults on {@code train}, scores {@code test}, keeps the decisions. */
  static Run run(Registries reg, String detector, List<BehaviorEvent> train, List<BehaviorEvent> test,
      Labels labels, boolean tokens, long seed) throws IOException {
    if (detector.equals(BASELINE) || detector.equals(LENGTH)) { // the pipeline only groups the events
      Pipeline p = Pipeline.builder().registries(reg).detector("markov").dropDuplicates(!tokens).build();
      List<BehaviorSequence> fit = p.sequences(train);
      List<BehaviorSequence> scored = p.sequences(test);
      return detector.equals(LENGTH) ? lengthAlone(fit, scored, labels) : bigramMean(fit, scored, labels);
    }
    Pipeline.Builder b = Pipeline.builder().registries(reg).detector(detector).dropDuplicates(!tokens).seed(seed)
        .options(OPTIONS);
    ENCODE.forEach(b::representationOption);
    if (THRESHOLD != null) {
      b.threshold(THRESHOLD);
    }
    if (GROUP_BY != null && !tokens) {
      b.grouping(io.seqwatch.core.prep.Grouping.parse(GROUP_BY));
    }
    Pipeline p = b.build();
    try (FittedPipeline f = p.fitEvents(train)) {
      List<BehaviorSequence> seqs = f.sequences(test);
      List<Observation> obs = new ArrayList<>(seqs.size());
      for (BehaviorSequence s : seqs) {
        obs.add(f.observe(s));
      }
      double[] scores = f.model().scoreAll(obs);
      if (FEATURES != null && obs.get(0).features().isPresent()) {
        List<String> table = new ArrayList<>();
        table.add("key," + String.join(",", obs.get(0).features().get().schema().names()) + ",label");
        for (Observation o : obs) {
          StringBuilder row = new StringBuilder(csvField(o.key()));
          for (double v : o.features().get().values()) {
            row.append(',').append(v);
          }
          table.add(row.append(',').append(labels.label(o.key()).orElse(false) ? 1 : 0).toString());
        }
        TextFiles.writeAtomically(Path.of(FEATURES, String.format(Locale.ROOT, "%s-%d.csv", detector, seed)), table);
      }
      int n = seqs.size();
      boolean[] y = new boolean[n];
      boolean[] d = new boolean[n];
      String[] k = new String[n];
      for (int i = 0; i < n; i++) {
        BehaviorSequence s = seqs.get(i);
        y[i] = labels.label(s.key()).orElse(false);
        d[i] = f.isAnomalous(s.key(), s.size(), scores[i]);
        k[i] = labels.kind(s.key()).orElse("anomalous");
      }
      Run run = new Run(seqs.stream().map(BehaviorSequence::key).toArray(String[]::new), scores, y, d, k);
      return GROUP_BY == null || tokens ? run : perActor(seqs, run, labels);
    }
  }

  /** A run over sequences as a run over their actors: the highest score, flagged when any sequence is. */
  static Run perActor(List<BehaviorSequence> seqs, Run r, Labels labels) {
    Map<String, Integer> index = new LinkedHashMap<>();
    List<double[]> agg = new ArrayList<>(); // {score, decided}
    for (int i = 0; i < seqs.size(); i++) {
      String actor = seqs.get(i).actorId();
      Integer j = index.get(actor);
      if (j == null) {
        index.put(actor, agg.size());
        agg.add(new double[] {r.scores()[i], r.decided()[i] ? 1 : 0});
      } else {
        double[] a = agg.get(j);
        a[0] = Math.max(a[0], r.scores()[i]);
        a[1] = Math.max(a[1], r.decided()[i] ? 1 : 0);
      }
    }
    int n = agg.size();
    String[] keys = index.keySet().toArray(new String[0]);
    double[] scores = new double[n];
    boolean[] y = new boolean[n];
    boolean[] d = new boolean[n];
    String[] k = new String[n];
    for (int i = 0; i < n; i++) {
      scores[i] = agg.get(i)[0];
      d[i] = agg.get(i)[1] > 0;
      y[i] = labels.label(keys[i]).orElse(false);
      k[i] = labels.kind(keys[i]).orElse("anomalous");
    }
    return new Run(keys, scores, y, d, k);
  }

  /** Scores every sequence by its number of events; flags those longer than every training sequence. */
  static Run lengthAlone(List<BehaviorSequence> train, List<BehaviorSequence> test, Labels labels) {
    return baseline(test, labels, s -> s.size(), train.stream().mapToInt(BehaviorSequence::size).max().orElse(0));
  }

  /** A baseline's run: {@code score} per test sequence, flagged above {@code max}. */
  private static Run baseline(List<BehaviorSequence> test, Labels labels,
      java.util.function.ToDoubleFunction<BehaviorSequence> score, double max) {
    int n = test.size();
    double[] scores = new double[n];
    boolean[] y = new boolean[n];
    boolean[] d = new boolean[n];
    String[] k = new String[n];
    for (int i = 0; i < n; i++) {
      scores[i] = score.applyAsDouble(test.get(i));
      y[i] = labels.label(test.get(i).key()).orElse(false);
      d[i] = scores[i] > max;
      k[i] = labels.kind(test.get(i).key()).orElse("anomalous");
    }
    return new Run(test.stream().map(BehaviorSequence::key).toArray(String[]::new), scores, y, d, k);
  }

  /**
   * The baseline: add-one bigram over actions with start and end, scored by the mean negative log
   * likelihood per event; its threshold is the largest training score.
   */
  static Run bigramMean(List<BehaviorSequence> train, List<BehaviorSequence> test, Labels labels) {
    Map<String, Integer> ids = new HashMap<>();
    ids.put("<s>", 0);
    for (BehaviorSequence s : train) {
      s.events().forEach(e -> ids.putIfAbsent(e.action(), ids.size()));
    }
    int v = ids.size() + 1; // + unknown
    double[][] c = new double[v][v];
    for (BehaviorSequence s : train) {
      int prev = 0;
      for (BehaviorEvent e : s.events()) {
        int x = ids.get(e.action());
        c[prev][x]++;
        prev = x;
      }
      c[prev][0]++;
    }
    double[] row = new double[v];
    for (int i = 0; i < v; i++) {
      row[i] = Arrays.stream(c[i]).sum();
    }
    java.util.function.ToDoubleFunction<BehaviorSequence> nll = s -> {
      int prev = 0;
      double sum = 0;
      for (BehaviorEvent e : s.events()) {
        int x = ids.getOrDefault(e.action(), v - 1);
        sum -= Math.log((c[prev][x] + 1) / (row[prev] + v));
        prev = x;
      }
      sum -= Math.log((c[prev][0] + 1) / (row[prev] + v));
      return sum / (s.size() + 1);
    };
    return baseline(test, labels, nll, train.stream().mapToDouble(nll).max().orElse(0));
  }

  /** A shop log to graft attacks into. */
  record Shop(String name, String format, String file) {}

  static final List<Shop> SHOPS = List.of(
      new Shop("taobao", "taobao", "taobao/user_behavior_2h.csv"),
      new Shop("rees46", "rees46", "rees46/events_oct_sample.csv"),
      new Shop("diginetica", "diginetica", "diginetica/item_views_sample.csv"));

  /**
   * Logs run only when named in {@code -Dseqwatch.bench.only}: Taobao's first 43 users with their whole
   * histories (weeks of sessions each), for the per-actor baseline; too few actors for the main table.
   */
  static final List<Shop> EXTRA_SHOPS = List.of(new Shop("taobao-43", "taobao", "taobao/user_behavior_43users.csv"));

  /** Attack kinds to inject ({@code -Dseqwatch.bench.kinds=account_takeover}); all when unset. */
  static final java.util.Set<io.seqwatch.core.inject.AttackKind> KINDS = System.getProperty("seqwatch.bench.kinds") == null
      ? java.util.Set.of() : Arrays.stream(System.getProperty("seqwatch.bench.kinds").split(","))
          .map(k -> io.seqwatch.core.inject.AttackKind.valueOf(k.toUpperCase(Locale.ROOT)))
          .collect(java.util.stream.Collectors.toSet());

  static List<BehaviorEvent> read(String format, Path file) throws IOException {
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat(format).read(file, events::add, r -> { });
    return events;
  }

  /** The Taobao slice keeps every fourth actor (by a hash of the id), so that the neural detectors fit the time budget. */
  static List<BehaviorEvent> sample(Shop s, List<BehaviorEvent> events) {
    if (!s.name().equals("taobao")) {
      return events;
    }
    return events.stream().filter(e -> Math.floorMod(e.actorId().hashCode() * 0x9E3779B1, 4) == 0).toList();
  }

  /** HDFS: normal training sessions, and the labelled file as tokens (key = line number in it). */
  static List<BehaviorEvent> hdfsTest(Path file, Map<String, Boolean> labels) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    StringBuilder tokens = new StringBuilder();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      tokens.append(f[0]).append('\n');
      labels.put(Integer.toString(i), f[1].trim().equals("1"));
    }
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("tokens").read(new BufferedReader(new StringReader(tokens.toString())), events::add,
        r -> { });
    return events;
  }

  public static void main(String[] args) throws IOException {
    List<String> detectors = args.length > 0 && !args[0].equals("all") ? List.of(args[0].split(",")) : ALL;
    long[] seeds = Arrays.stream((args.length > 1 ? args[1] : "1,2,3").split(",")).mapToLong(Long::parseLong).toArray();
    double[] rates = Arrays.stream((args.length > 2 ? args[2] : "0.01,0.05,0.1").split(","))
        .mapToDouble(Double::parseDouble).toArray();
    Path data = Path.of(args.length > 3 ? args[3] : "../shared/data");
    Registries reg = Registries.discover();
    // detector -> dataset -> results
    Map<String, Map<String, List<Result>>> all = new LinkedHashMap<>();
    Map<String, Map<String, Double>> seconds = new LinkedHashMap<>();
    List<Shop> shops = new ArrayList<>(SHOPS.stream().filter(s -> selected(s.name())).toList());
    shops.addAll(EXTRA_SHOPS.stream().filter(s -> ONLY.contains(s.name())).toList());
    for (Shop shop : shops) {
      List<BehaviorEvent> real = sample(shop, read(shop.format(), data.resolve(shop.file())));
      for (double rate : rates) {
        for (long seed : seeds) {
          Injector.Injected inj = Injector.builder().rate(rate).seed(seed).signals(SIGNALS).kinds(KINDS)
              .lengthsLikeLog(LENGTHS_LIKE_LOG).build().inject(real);
          List<BehaviorEvent> log = inj.merged(real);
          Map<String, Run> peers = detectors.stream().anyMatch(PEERS::contains) ? peers(log, inj.labels()) : Map.of();
          for (String d : detectors) {
            long t0 = System.nanoTime();
            Run run = PEERS.contains(d) ? peers.get(d) : run(reg, d, log, log, inj.labels(), false, seed);
            dump(String.format(Locale.ROOT, "%s-%.2f-%d-%s", shop.name(), rate, seed, d), run);
            Result r = measure(run);
            double s = (System.nanoTime() - t0) / 1e9;
            all.computeIfAbsent(d, x -> new LinkedHashMap<>()).computeIfAbsent(shop.name(), x -> new ArrayList<>()).add(r);
            seconds.computeIfAbsent(d, x -> new LinkedHashMap<>()).merge(shop.name(), s, Double::sum);
            System.err.printf(Locale.ROOT, "%s rate %.2f seed %d %s: ROC %.3f PR %.3f recall %.3f FPR %.3f recall@1%% %.3f (%.1f s)%n",
                shop.name(), rate, seed, d, r.roc(), r.pr(), r.recall(), r.fpr(), r.recallAt1(), s);
          }
        }
      }
    }
    if (!selected("hdfs")) {
      print(all, seconds);
      return;
    }
    Map<String, Boolean> hdfsLabels = new LinkedHashMap<>();
    List<BehaviorEvent> hdfsTest = hdfsTest(data.resolve("hdfs/hdfs_valid_labelled.csv"), hdfsLabels);
    List<BehaviorEvent> hdfsTrain = read("tokens", data.resolve("hdfs/hdfs_train"));
    for (String d : detectors.stream().filter(d -> !PEERS.contains(d)).toList()) {
      long t0 = System.nanoTime();
      Run run = run(reg, d, hdfsTrain, hdfsTest, new Labels(hdfsLabels, Map.of()), true, 1);
      dump("hdfs-" + d, run);
      Result r = measure(run);
      double s = (System.nanoTime() - t0) / 1e9;
      all.computeIfAbsent(d, x -> new LinkedHashMap<>()).computeIfAbsent("hdfs", x -> new ArrayList<>()).add(r);
      seconds.computeIfAbsent(d, x -> new LinkedHashMap<>()).merge("hdfs", s, Double::sum);
      System.err.printf(Locale.ROOT, "hdfs %s: ROC %.3f PR %.3f recall %.3f FPR %.3f F1 %.3f, at the natural ratio %.3f (%.1f s)%n",
          d, r.roc(), r.pr(), r.recall(), r.fpr(), r.f1(0.5), r.f1(HDFS_NATURAL), s);
    }
    print(all, seconds);
  }

  /**
   * Runs the scikit-learn peers on the per-user table {@code python/peer_table.py} builds from the
   * same log (the time is the Python process's, shared by both peers and booked to the first).
   */
  static Map<String, Run> peers(List<BehaviorEvent> log, Labels labels) throws IOException {
    Path dir = Files.createTempDirectory("seqwatch-peer");
    try {
      List<String> lines = log.stream()
          .sorted(java.util.Comparator.comparing(BehaviorEvent::actorId).thenComparingLong(BehaviorEvent::timestampMillis))
          .map(e -> String.join(",", csvField(e.actorId()), Double.toString(e.timestampMillis() / 1000.0),
              csvField(e.action()), csvField(e.itemId().orElse("")), csvField(e.categoryId().orElse(""))))
          .toList();
      Path events = dir.resolve("events.csv");
      Files.write(events, lines, StandardCharsets.UTF_8);
      String script = System.getProperty("seqwatch.bench.table-script", "samples/bench/python/peer_table.py");
      Process proc = new ProcessBuilder(PYTHON, script, events.toString(), dir.resolve("out").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      try {
        if (proc.waitFor() != 0) {
          throw new IOException("the scikit-learn peer failed (" + PYTHON + " " + script
              + "; run.sh quality makes a venv with scikit-learn, or pass -Dseqwatch.bench.python=...)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the peer ran", e);
      }
      Map<String, Run> runs = new LinkedHashMap<>();
      for (String peer : PEERS) {
        List<String> rows = Files.readAllLines(dir.resolve("out-" + peer + ".csv"), StandardCharsets.UTF_8);
        int n = rows.size();
        double[] scores = new double[n];
        boolean[] y = new boolean[n];
        boolean[] d = new boolean[n];
        String[] k = new String[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
          int c2 = rows.get(i).lastIndexOf(',');
          int c1 = rows.get(i).lastIndexOf(',', c2 - 1);
          String key = unquote(rows.get(i).substring(0, c1));
          keys[i] = key;
          scores[i] = Double.parseDouble(rows.get(i).substring(c1 + 1, c2));
          d[i] = rows.get(i).substring(c2 + 1).equals("1");
          y[i] = labels.label(key).orElse(false);
          k[i] = labels.kind(key).orElse("anomalous");
        }
        runs.put(peer, new Run(keys, scores, y, d, k));
      }
      return runs;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static String csvField(String s) {
    return s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
  }

  private static String unquote(String s) {
    return s.startsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
  }

  /** Writes {@code key,score,label,decided,kind} per key to {@code DUMP/name.csv} when a dump folder is set. */
  static void dump(String name, Run r) throws IOException {
    if (DUMP == null) {
      return;
    }
    List<String> lines = new ArrayList<>(List.of("key,score,label,decided,kind"));
    for (int i = 0; i < r.scores().length; i++) {
      lines.add(csvField(r.keys()[i]) + "," + r.scores()[i] + "," + (r.labels()[i] ? 1 : 0) + "," + (r.decided()[i] ? 1 : 0) + "," + r.kinds()[i]);
    }
    TextFiles.writeAtomically(Path.of(DUMP, name + ".csv"), lines);
  }

  static void print(Map<String, Map<String, List<Result>>> all, Map<String, Map<String, Double>> seconds) {
    System.out.println("| detector | data | ROC-AUC | PR-AUC | recall at default threshold | FPR at default threshold | recall at 1 % FPR | time (s) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    Map<String, Map<String, double[]>> kinds = new TreeMap<>();
    for (Map.Entry<String, Map<String, List<Result>>> d : all.entrySet()) {
      double[] shopMean = new double[5];
      int shops = 0;
      for (Map.Entry<String, List<Result>> ds : d.getValue().entrySet()) {
        double[] m = mean(ds.getValue());
        System.out.printf(Locale.ROOT, "| `%s` | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f |%n", d.getKey(),
            ds.getKey(), m[0], m[1], m[2], m[3], m[4], seconds.get(d.getKey()).get(ds.getKey()));
        if (!ds.getKey().equals("hdfs")) {
          shops++;
          for (int i = 0; i < 5; i++) {
            shopMean[i] += m[i];
          }
          for (Result r : ds.getValue()) {
            r.kinds().forEach((k, v) -> {
              double[] a = kinds.computeIfAbsent(d.getKey(), x -> new TreeMap<>()).computeIfAbsent(k, x -> new double[2]);
              a[0] += v[0];
              a[1] += v[1];
            });
          }
        }
      }
      if (shops > 0) {
        System.out.printf(Locale.ROOT, "| `%s` | **shops, mean** | **%.3f** | **%.3f** | %.3f | %.3f | %.3f | |%n",
            d.getKey(), shopMean[0] / shops, shopMean[1] / shops, shopMean[2] / shops, shopMean[3] / shops,
            shopMean[4] / shops);
      }
    }
    if (all.values().stream().anyMatch(m -> m.containsKey("hdfs"))) {
      System.out.println();
      System.out.println("| detector | HDFS F1 at default threshold (file, 1:1) | F1 at HDFS's natural ratio (2.9 % anomalous) |");
      System.out.println("|---|---|---|");
      all.forEach((d, m) -> {
        if (m.containsKey("hdfs")) {
          Result r = m.get("hdfs").get(0);
          System.out.printf(Locale.ROOT, "| `%s` | %.3f | %.3f |%n", d, r.f1(0.5), r.f1(HDFS_NATURAL));
        }
      });
    }
    System.out.println();
    List<String> kindNames = kinds.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    System.out.println("| detector | " + String.join(" | ", kindNames) + " |");
    System.out.println("|---|" + "---|".repeat(kindNames.size()));
    kinds.forEach((d, m) -> {
      StringBuilder row = new StringBuilder("| `" + d + "` |");
      for (String k : kindNames) {
        double[] a = m.get(k);
        row.append(a == null ? " - |" : String.format(Locale.ROOT, " %.2f |", a[1] / a[0]));
      }
      System.out.println(row);
    });
  }

  static double[] mean(List<Result> rs) {
    double[] m = new double[5];
    for (Result r : rs) {
      m[0] += r.roc() / rs.size();
      m[1] += r.pr() / rs.size();
      m[2] += r.recall() / rs.size();
      m[3] += r.fpr() / rs.size();
      m[4] += r.recallAt1() / rs.size();
    }
    return m;
  }
}
