package io.seqwatch.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.eval.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path tmp;

  /** Exit code, stdout and stderr of one run. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = SeqwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Optional<Path> shared(String rel) {
    String root = System.getProperty("seqwatch.shared.data");
    if (root == null) {
      return Optional.empty();
    }
    Path p = Path.of(root, rel);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * {@code pretrain} on real Taobao traffic writes a checkpoint and a bundle; run again with more
   * epochs it resumes from the checkpoint; {@code train --set pretrained=} carries the encoder to
   * REES46 sessions.
   */
  @Test
  void pretrainWritesAResumableEncoderThatTrainCarriesToAnotherShop() {
    Optional<Path> log = shared("taobao/user_behavior_43users.csv");
    Optional<Path> rees = shared("rees46/events_oct_sample.csv");
    assumeTrue(log.isPresent() && rees.isPresent(), "../shared/data is absent");
    Path out = tmp.resolve("encoder");
    String[] args = {"pretrain", "--input", log.get().toString(), "--format", "taobao", "--out", out.toString(),
        "--epochs", "1", "--set", "window=16", "--set", "device=cpu"};
    Run first = run(args);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().matches("(?s)pretrained a small encoder \\([\\d,]+ parameters\\) on 43 sequences \\(4,3\\d\\d events\\), 1 epochs in .*"), first.out());
    assertTrue(Files.isRegularFile(out.resolve("encoder.ckpt")) && Files.isDirectory(out.resolve("model")), first.out());
    args[8] = "2";
    Run more = run(args);
    assertEquals(0, more.code(), more.err());
    assertTrue(more.out().contains("2 epochs (1 resumed from the checkpoint)"), more.out());
    Path m = tmp.resolve("rees46-model");
    Run adapt = run("train", "--input", rees.get().toString(), "--format", "rees46", "--group-by", "session",
        "--detector", "masked-transformer", "--set", "pretrained=" + out, "--set", "epochs=1", "--set", "device=cpu",
        "--model", m.toString(), "--json");
    assertEquals(0, adapt.code(), adapt.err());
    assertTrue(adapt.out().contains("\"pretrained.epochs\":\"2\""), adapt.out());
    Run scored = run("score", "--model", m.toString(), "--input", rees.get().toString(), "--format", "rees46",
        "--output", tmp.resolve("scores.csv").toString());
    assertEquals(0, scored.code(), scored.err());
    // served with int8 weights on ONNX Runtime: the CLI names the engine to add, the export scores
    Path int8 = tmp.resolve("rees46-int8");
    Run exported = run("export", "--model", m.toString(), "--to", "onnx-int8", "--out", int8.toString());
    assertEquals(0, exported.code(), exported.err());
    assertTrue(exported.out().contains("to onnx-int8 for the onnx engine") && exported.out().contains("seqwatch-engine-onnx "),
        exported.out());
    Run servedInt8 = run("score", "--model", int8.toString(), "--input", rees.get().toString(), "--format", "rees46",
        "--output", tmp.resolve("scores-int8.csv").toString());
    assertEquals(0, servedInt8.code(), servedInt8.err());
    assertEquals(assertDoesNotThrow(() -> Files.readAllLines(tmp.resolve("scores.csv"))).size(),
        assertDoesNotThrow(() -> Files.readAllLines(tmp.resolve("scores-int8.csv"))).size());
    Path vectors = tmp.resolve("embeddings.csv");
    Run embedded = run("embed", "--model", out.resolve("model").toString(), "--input", log.get().toString(),
        "--format", "taobao", "--output", vectors.toString());
    assertEquals(0, embedded.code(), embedded.err());
    assertTrue(embedded.out().contains("embedded 43 sequences as 64 numbers each"), embedded.out());
    List<String> lines = assertDoesNotThrow(() -> Files.readAllLines(vectors));
    assertEquals(44, lines.size());
    assertEquals(65, lines.get(1).split(",").length, lines.get(1));
    Path forest = tmp.resolve("forest");
    assertEquals(0, run("train", "--input", log.get().toString(), "--format", "taobao", "--detector", "zscore",
        "--model", forest.toString()).code());
    Run notAnEncoder = run("embed", "--model", forest.toString(), "--input", log.get().toString(),
        "--format", "taobao", "--output", vectors.toString());
    assertEquals(ExitCodes.USAGE, notAnEncoder.code(), notAnEncoder.err());
    assertTrue(notAnEncoder.err().contains("zscore gives no embeddings; train an encoder"), notAnEncoder.err());
  }

  @Test
  void pluginsListsEveryProviderWithOptions() {
    Run r = run("plugins");
    assertEquals(0, r.code(), r.err());
    for (String name : List.of("isolation-forest", "zscore", "mad", "iqr", "hbos", "knn", "lof", "kmeans", "dbscan",
        "ocsvm", "markov", "ensemble", "gru", "lstm", "autoencoder", "classifier", "lstm-autoencoder", "transformer", "gan", "behavior", "tokens", "quantile", "contamination", "mad", "max-f1", "target-fpr",
        "per-segment", "streaming-quantile", "fixed", "log")) {
      assertTrue(r.out().contains(" " + name + " "), name + " in\n" + r.out());
    }
    assertTrue(r.out().contains("--set trees=100 (int) number of trees"), r.out());
    // each option as the command line takes it
    assertTrue(r.out().contains("--encode token=action (string)"), r.out());
    assertTrue(r.out().contains("--threshold contamination:0.05 (rate) (double)"), r.out());
    assertTrue(r.out().contains("--sink-option url="), r.out());
    assertTrue(r.out().contains("seqwatch-plugin-forest"), r.out());
    assertTrue(r.out().contains("[sequence, engine onnx, scores only]"), r.out());
    assertTrue(r.out().contains("[sequence, engine djl, threshold evt:0.01]"), r.out());
    assertTrue(r.out().contains("isolation-forest") && r.out().contains("threshold evt:0.004,trim=skewed]"), r.out());
  }

  @Test
  void streamReplaysTheRealTaobaoLogWritesAlertsAndResumesFromASnapshot() throws IOException {
    Optional<Path> log = shared("taobao/user_behavior_2h.csv");
    assumeTrue(log.isPresent(), "../shared/data is absent");
    Path m = tmp.resolve("if");
    // evt:0.01: with the forest's default (trimmed, lower) threshold a resumed stream raised 277
    // alerts against 439 in one pass; an open reliability finding, see the issue notes
    assertEquals(0, run("train", "--input", log.get().toString(), "--format", "taobao", "--detector", "isolation-forest",
        "--threshold", "evt:0.01", "--model", m.toString()).code());
    List<String> lines = Files.readAllLines(log.get());
    Path first = Files.write(tmp.resolve("first.csv"), lines.subList(0, 50_000));
    Path rest = Files.write(tmp.resolve("rest.csv"), lines.subList(50_000, lines.size()));
    Path alerts = tmp.resolve("alerts.jsonl");
    Path snap = tmp.resolve("snap");
    Run a = run("stream", "--model", m.toString(), "--input", first.toString(), "--format", "taobao", "--alerts",
        alerts.toString(), "--snapshot", snap.toString());
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("streamed 50,000 events with isolation-forest (features state)"), a.out());
    assertTrue(a.out().contains("events/s; per-event latency p50"), a.out());
    Run b = run("stream", "--model", m.toString(), "--input", rest.toString(), "--format", "taobao", "--alerts",
        alerts.toString(), "--snapshot", snap.toString());
    assertEquals(0, b.code(), b.err());
    assertTrue(b.err().contains("resumed from"), b.err());
    assertTrue(b.err().contains("1 rejected"), b.err()); // the truncated last row, kept in the quarantine file
    long alertLines = Files.readAllLines(alerts).size();
    assertTrue(alertLines > 100, alertLines + " alerts");
    // the same stream in one run raises the same alerts
    Path once = tmp.resolve("once.jsonl");
    Run c = run("stream", "--model", m.toString(), "--input", log.get().toString(), "--format", "taobao", "--alerts",
        once.toString());
    assertEquals(0, c.code(), c.err());
    assertEquals(alertLines, Files.readAllLines(once).size());
    // in batches (acceptAll): the same alerts
    Path batched = tmp.resolve("batched.jsonl");
    Run bt = run("stream", "--model", m.toString(), "--input", log.get().toString(), "--format", "taobao", "--alerts",
        batched.toString(), "--batch", "1000");
    assertEquals(0, bt.code(), bt.err());
    assertTrue(bt.out().contains("per-batch (1,000 events) latency"), bt.out());
    assertEquals(new java.util.TreeSet<>(Files.readAllLines(once)), new java.util.TreeSet<>(Files.readAllLines(batched)));
    assertEquals(2, run("stream", "--model", m.toString(), "--input", first.toString(), "--format", "taobao",
        "--alerts", once.toString(), "--lateness", "soon").code());

    // alerts fed back to the platform over a webhook as well
    java.util.Set<String> posted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/alerts", x -> {
      posted.add(io.seqwatch.spi.support.AlertJson.idIn(new String(x.getRequestBody().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8)));
      byte[] ok = "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, ok.length);
      x.getResponseBody().write(ok);
      x.close();
    });
    server.start();
    try {
      Path hooked = tmp.resolve("hooked.jsonl");
      Run w = run("stream", "--model", m.toString(), "--input", first.toString(), "--format", "taobao", "--alerts",
          hooked.toString(), "--sink", "webhook", "--sink-option",
          "url=http://127.0.0.1:" + server.getAddress().getPort() + "/alerts", "--sink-option",
          "spill=" + tmp.resolve("spill.jsonl"));
      assertEquals(0, w.code(), w.err());
      // every alert reached the endpoint, or (on a loaded machine, past the sink's timeout at close) waits
      // in the spill file for the next start: none is lost
      java.util.Set<String> reached = new java.util.HashSet<>(posted);
      Path spilled = tmp.resolve("spill.jsonl");
      if (Files.exists(spilled)) {
        Files.readAllLines(spilled).forEach(l -> reached.add(io.seqwatch.spi.support.AlertJson.idIn(l)));
      }
      java.util.Set<String> sent = new java.util.HashSet<>();
      Files.readAllLines(hooked).forEach(l -> sent.add(io.seqwatch.spi.support.AlertJson.idIn(l)));
      assertTrue(!sent.isEmpty() && reached.containsAll(sent), sent.size() + " alerts, " + posted.size() + " posted");
    } finally {
      server.stop(0);
    }
    // sink settings with secrets come from a file; producer.* settings reach the Kafka client, which checks them
    Path kafkaOptions = Files.writeString(tmp.resolve("kafka.properties"),
        "bootstrap-servers=127.0.0.1:1\nproducer.security.protocol=NOT_A_PROTOCOL\n");
    Run k = run("stream", "--model", m.toString(), "--input", first.toString(), "--format", "taobao", "--alerts",
        tmp.resolve("kafka-alerts.jsonl").toString(), "--sink", "kafka", "--sink-options-file", kafkaOptions.toString());
    assertEquals(2, k.code(), k.err());
    assertTrue(k.err().contains("kafka sink: cannot create a producer") && k.err().contains("NOT_A_PROTOCOL"), k.err());
  }

  @Test
  void exportToOnnxThenScoreGivesTheSameScores() throws IOException {
    Optional<Path> train = shared("hdfs/hdfs_train");
    assumeTrue(train.isPresent(), "../shared/data/hdfs is absent");
    Path small = tmp.resolve("hdfs_small");
    Files.write(small, Files.readAllLines(train.get()).subList(0, 600));
    Path m = tmp.resolve("gru");
    Run t = run("train", "--input", small.toString(), "--format", "tokens", "--detector", "gru", "--set", "epochs=1",
        "--set", "hidden=16", "--set", "layers=1", "--set", "device=cpu", "--model", m.toString());
    assertEquals(0, t.code(), t.err());
    Path onnx = tmp.resolve("gru-onnx.zip");
    Run e = run("export", "--model", m.toString(), "--to", "onnx", "--out", onnx.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("for the onnx engine"), e.out());
    Path a = tmp.resolve("djl.csv");
    Path b = tmp.resolve("onnx.csv");
    assertEquals(0, run("score", "--model", m.toString(), "--input", small.toString(), "--format", "tokens", "--output",
        a.toString()).code());
    assertEquals(0, run("score", "--model", onnx.toString(), "--input", small.toString(), "--format", "tokens",
        "--output", b.toString()).code());
    List<String> x = Files.readAllLines(a);
    List<String> y = Files.readAllLines(b);
    assertEquals(x.size(), y.size());
    for (int i = 1; i < x.size(); i++) {
      double dx = Double.parseDouble(x.get(i).split(",")[1]);
      double dy = Double.parseDouble(y.get(i).split(",")[1]);
      assertEquals(dx, dy, 1e-5, "row " + i);
    }
    Run bad = run("export", "--model", m.toString(), "--to", "tensorflow", "--out", tmp.resolve("tf").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("cannot be exported to tensorflow; it exports to onnx"), bad.err());
  }

  @Test
  void trainAndScoreTheRealTaobaoSlice() throws IOException {
    Optional<Path> f = shared("taobao/user_behavior_2h.csv");
    assumeTrue(f.isPresent(), "../shared/data is absent");
    Path model = tmp.resolve("m");
    Run t = run("train", "--input", f.get().toString(), "--format", "taobao", "--detector", "isolation-forest",
        "--model", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("96,169 records, 96,168 accepted, 1 rejected"), t.err());
    List<String> rejected = Files.readAllLines(model.resolve("rejected.csv"));
    assertEquals(List.of("line,reason,raw",
        "96169,timestamp 15 is not a Unix time in seconds between 2000 and 2100 (truncated record?),\"301780,543546,4181361,pv,15\""),
        rejected);
    Path scores = tmp.resolve("scores.csv");
    Run s = run("score", "--model", model.toString(), "--input", f.get().toString(), "--format", "taobao",
        "--output", scores.toString());
    assertEquals(0, s.code(), s.err());
    List<String> lines = Files.readAllLines(scores);
    assertEquals("key,score,anomalous,reasons", lines.get(0));
    assertEquals(58_733, lines.size());
    assertEquals(2, Files.readAllLines(Path.of(scores + ".rejected.csv")).size());
    assertTrue(s.out().startsWith("scored 58,732 sequences with isolation-forest: "), s.out());
    // in partitions spilled to disk: the same file, byte for byte, and no spill left behind
    Path spill = Files.createDirectories(tmp.resolve("spill"));
    Path parts = tmp.resolve("parts.csv");
    Run sp = run("score", "--model", model.toString(), "--input", f.get().toString(), "--format", "taobao",
        "--output", parts.toString(), "--partitions", "6", "--spill-dir", spill.toString());
    assertEquals(0, sp.code(), sp.err());
    assertTrue(sp.out().contains("(in 6 partitions of at most "), sp.out());
    assertEquals(Files.readString(scores), Files.readString(parts));
    try (java.util.stream.Stream<Path> left = Files.list(spill)) {
      assertEquals(0, left.count());
    }
    Run bad = run("score", "--model", model.toString(), "--input", f.get().toString(), "--format", "taobao",
        "--output", parts.toString(), "--partitions", "0");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("partitions must be between 1 and 4096: 0"), bad.err());
  }

  @Test
  void trainAndScoreAFeatureTableWithABadRowQuarantined() throws IOException {
    Path table = tmp.resolve("features.csv");
    List<String> rows = new ArrayList<>(List.of("user_id,clicks,carts,gap_s,label"));
    for (int i = 0; i < 300; i++) {
      rows.add("u" + i + "," + (5 + i % 11) + "," + (i % 3) + "," + (30 + i % 17) + ",0");
    }
    rows.add("bot,900,0,0.5,1");
    rows.add("broken,12,x,3,0");
    Files.write(table, rows);
    Path model = tmp.resolve("table-model");
    Run t = run("train", "--input", table.toString(), "--format", "features", "--key-column", "user_id",
        "--detector", "isolation-forest", "--model", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("302 rows, 301 accepted, 1 rejected"), t.err());
    assertTrue(t.err().contains("3 feature columns, keys from user_id, label column label left out"), t.err());
    assertTrue(t.out().startsWith("trained isolation-forest on 301 rows of 3 features"), t.out());
    assertEquals(List.of("line,reason,raw", "303,column carts: 'x' is not a number,\"broken,12,x,3,0\""),
        Files.readAllLines(model.resolve("rejected.csv")));
    Path scores = tmp.resolve("table-scores.csv");
    Run s = run("score", "--model", model.toString(), "--input", table.toString(), "--format", "features",
        "--key-column", "user_id", "--output", scores.toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().startsWith("scored 301 rows with isolation-forest"), s.out());
    List<String> lines = Files.readAllLines(scores);
    String bot = lines.stream().filter(l -> l.startsWith("bot,")).findFirst().orElseThrow();
    assertTrue(bot.startsWith("bot,") && bot.split(",")[2].equals("1") && bot.contains("clicks"), bot);
    Run events = run("score", "--model", model.toString(), "--input", table.toString(), "--format", "taobao",
        "--output", tmp.resolve("x.csv").toString());
    assertEquals(2, events.code(), events.err());
    assertTrue(events.err().contains("this model was trained on a feature table (columns [clicks, carts, gap_s]): "
        + "score it with --format features"), events.err());
  }

  @Test
  void crossValidatesTheSupervisedClassifierWithAThresholdFromNormalTrainingSequences() throws IOException {
    Path data = tmp.resolve("cv-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "400", "--anomaly-rate", "0.1", "--seed", "8")
        .code());
    Run cv = run("evaluate", "--cv", "3", "--input", data.resolve("events.csv").toString(), "--format", "taobao",
        "--labels", data.resolve("labels.csv").toString(), "--detector", "classifier", "--set", "epochs=10",
        "--rejected", tmp.resolve("cv-rejected.csv").toString());
    assertEquals(0, cv.code(), cv.err());
    assertTrue(cv.out().startsWith("3-fold cross-validation of classifier"), cv.out());
    // pooled recall and FPR at each fold's default threshold (evt:0.01 on the held-out scores of normal sequences)
    String recall = cv.out().lines().filter(l -> l.startsWith("recall ")).findFirst().orElseThrow();
    String fpr = cv.out().lines().filter(l -> l.startsWith("FPR ")).findFirst().orElseThrow();
    assertTrue(Double.parseDouble(recall.split("\\s+")[1]) >= 0.6, cv.out());
    assertTrue(Double.parseDouble(fpr.split("\\s+")[1]) <= 0.05, cv.out());
    Run usage = run("evaluate", "--cv", "3", "--labels", data.resolve("labels.csv").toString());
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("--cv K needs --input, --format and --detector"), usage.err());
  }

  @Test
  void scorePseudonymisesKeysWithAKeyFromAFileAndRefusesAKeyOnTheCommandLine() throws IOException {
    Path data = tmp.resolve("pseudo-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "150", "--seed", "4").code());
    Path model = tmp.resolve("pseudo-model");
    assertEquals(0, run("train", "--input", data.resolve("events.csv").toString(), "--format", "taobao", "--detector",
        "zscore", "--model", model.toString()).code());
    Path keyFile = Files.writeString(tmp.resolve("hmac.key"), "s3cret\n");
    Path scores = tmp.resolve("pseudo.csv");
    Run r = run("score", "--model", model.toString(), "--input", data.resolve("events.csv").toString(), "--format",
        "taobao", "--output", scores.toString(), "--hmac-key-file", keyFile.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("keys are pseudonymised"), r.out());
    // a malformed record is quarantined with its line and reason, but not its raw text: it holds the actor id
    Path withBad = tmp.resolve("pseudo-bad.csv");
    Files.copy(data.resolve("events.csv"), withBad);
    Files.writeString(withBad, "actor-in-clear-77,1,2,pv,not-a-time\n", java.nio.file.StandardOpenOption.APPEND);
    long badLine = Files.readAllLines(withBad).size();
    Path badScores = tmp.resolve("pseudo-bad-scores.csv");
    assertEquals(0, run("score", "--model", model.toString(), "--input", withBad.toString(), "--format", "taobao",
        "--output", badScores.toString(), "--hmac-key-file", keyFile.toString()).code());
    Path rejected = Path.of(badScores + ".rejected.csv");
    List<String> quarantined = Files.readAllLines(rejected);
    assertEquals(2, quarantined.size(), quarantined.toString());
    assertTrue(quarantined.get(1).startsWith(badLine + ","), quarantined.get(1));
    assertTrue(!Files.readString(rejected).contains("actor-in-clear-77"), quarantined.get(1));
    Run streamBad = run("stream", "--model", model.toString(), "--input", withBad.toString(), "--format", "taobao",
        "--alerts", tmp.resolve("pseudo-bad-alerts.jsonl").toString(), "--hmac-key-file", keyFile.toString());
    assertEquals(0, streamBad.code(), streamBad.err());
    String streamRejected = Files.readString(tmp.resolve("pseudo-bad-alerts.jsonl.rejected.csv"));
    assertTrue(streamRejected.startsWith("line,reason,raw") && streamRejected.contains(badLine + ",")
        && !streamRejected.contains("actor-in-clear-77"), streamRejected);
    List<String> rows = Files.readAllLines(scores);
    assertEquals("key,score,anomalous,reasons", rows.get(0));
    assertTrue(rows.subList(1, rows.size()).stream().allMatch(l -> l.matches("[0-9a-f]{64},.*")), rows.get(1));
    String firstActor = Files.readAllLines(data.resolve("events.csv")).get(0).split(",")[0];
    String pseudonym = new io.seqwatch.spi.support.AlertJson("s3cret").key(firstActor);
    assertTrue(rows.stream().anyMatch(l -> l.startsWith(pseudonym + ",")), "the key is the actor's HMAC");
    // stream: ids are pseudonymised as events are read, so the snapshot holds no raw actor id
    Path snapDir = tmp.resolve("pseudo-snap");
    Run st = run("stream", "--model", model.toString(), "--input", data.resolve("events.csv").toString(), "--format",
        "taobao", "--alerts", tmp.resolve("pseudo-alerts.jsonl").toString(), "--snapshot", snapDir.toString(),
        "--hmac-key-file", keyFile.toString());
    assertEquals(0, st.code(), st.err());
    try (io.seqwatch.core.pipeline.FittedPipeline p = io.seqwatch.core.pipeline.FittedPipeline.load(model)) {
      io.seqwatch.core.stream.StreamingScorer back = io.seqwatch.core.stream.StreamingScorer.builder(p).build();
      back.restore(snapDir.resolve("stream.snapshot"));
      assertTrue(!back.scores().isEmpty() && back.scores().keySet().stream().allMatch(k -> k.matches("[0-9a-f]{64}")),
          back.scores().keySet().iterator().next());
      assertTrue(back.scores().containsKey(pseudonym));
    }
    for (String alert : Files.readAllLines(tmp.resolve("pseudo-alerts.jsonl"))) {
      assertTrue(alert.matches(".*\"key\":\"[0-9a-f]{64}\".*"), alert);
    }
    try (var files = Files.list(tmp)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
    Run refused = run("score", "--model", model.toString(), "--input", data.resolve("events.csv").toString(),
        "--format", "taobao", "--output", scores.toString(), "--hmac-key", "s3cret");
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("put the key in a file readable only by you and pass --hmac-key-file FILE"),
        refused.err());
  }

  @Test
  void aSigningKeySignsAtTrainAndScoreRefusesABundleForgedWithRecomputedChecksums() throws IOException {
    Path data = tmp.resolve("signed-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "150", "--seed", "4").code());
    Path key = Files.writeString(tmp.resolve("signing.key"), "a-signing-key-of-32-characters!!\n");
    Path other = Files.writeString(tmp.resolve("other.key"), "another-signing-key-0123456789\n");
    Path model = tmp.resolve("signed-model");
    String events = data.resolve("events.csv").toString();
    assertEquals(0, run("train", "--input", events, "--format", "taobao", "--detector", "zscore", "--model",
        model.toString(), "--signing-key-file", key.toString()).code());
    assertTrue(Files.exists(model.resolve("manifest.sig")));
    Path scores = tmp.resolve("signed-scores.csv");
    assertEquals(0, run("score", "--model", model.toString(), "--input", events, "--format", "taobao", "--output",
        scores.toString(), "--signing-key-file", key.toString()).code());
    Run wrong = run("score", "--model", model.toString(), "--input", events, "--format", "taobao", "--output",
        scores.toString(), "--signing-key-file", other.toString());
    assertEquals(4, wrong.code());
    assertTrue(wrong.err().contains("it is signed with key"), wrong.err());
    // a forger raises the threshold so nothing is flagged and recomputes both checksums
    Path manifest = model.resolve("manifest.json");
    String forged = Files.readString(manifest).replaceFirst("(\"threshold\" : \\{\\s*\"value\" : )[^,]+", "$11.0E9");
    assertTrue(forged.contains("1.0E9"), forged);
    Files.writeString(manifest, forged);
    Files.writeString(model.resolve("manifest.sha256"), com.google.common.hash.Hashing.sha256()
        .hashString(forged, java.nio.charset.StandardCharsets.UTF_8) + "\n");
    Run refused = run("score", "--model", model.toString(), "--input", events, "--format", "taobao", "--output",
        scores.toString(), "--signing-key-file", key.toString());
    assertEquals(4, refused.code());
    assertTrue(refused.err().contains("the bundle was edited after it was signed"), refused.err());
  }

  @Test
  void keygenMakesAPairWhosePublicHalfVerifiesButCannotSign() throws IOException {
    Path data = tmp.resolve("ed-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "150", "--seed", "4").code());
    Run keys = run("keygen", "--out", tmp.resolve("keys/signing").toString());
    assertEquals(0, keys.code(), keys.err());
    assertTrue(keys.out().contains("key id "), keys.out());
    assertEquals(2, run("keygen", "--out", tmp.resolve("keys/signing").toString()).code(), "no silent overwrite");
    String priv = tmp.resolve("keys/signing.pem").toString();
    String pub = tmp.resolve("keys/signing.pub.pem").toString();
    Path model = tmp.resolve("ed-model");
    String events = data.resolve("events.csv").toString();
    assertEquals(0, run("train", "--input", events, "--format", "taobao", "--detector", "zscore", "--model",
        model.toString(), "--signing-key-file", priv).code());
    assertTrue(Files.readString(model.resolve("manifest.sig")).startsWith("ed25519 "));
    Path scores = tmp.resolve("ed-scores.csv");
    Run ok = run("score", "--model", model.toString(), "--input", events, "--format", "taobao", "--output",
        scores.toString(), "--signing-key-file", pub);
    assertEquals(0, ok.code(), ok.err());
    Run cannot = run("train", "--input", events, "--format", "taobao", "--detector", "zscore", "--model",
        tmp.resolve("ed-model2").toString(), "--signing-key-file", pub);
    assertEquals(2, cannot.code(), cannot.err());
    assertTrue(cannot.err().contains("is a public key (") && cannot.err().contains("cannot sign them; give the private key file"), cannot.err());
  }

  @Test
  void withAPseudonymisationKeyNoRawActorIdLeavesThroughScoresAlertsSnapshotsOrMessages() throws IOException {
    Optional<Path> log = shared("taobao/user_behavior_2h.csv");
    assumeTrue(log.isPresent(), "../shared/data is absent");
    // the real log with actor ids that cannot appear by chance in hex or binary: customer-<id>@shop.example
    List<String> rows = Files.readAllLines(log.get()).subList(0, 30_000).stream()
        .map(l -> "customer-" + l.substring(0, l.indexOf(',')) + "@shop.example" + l.substring(l.indexOf(','))).toList();
    Path events = Files.write(tmp.resolve("named.csv"), rows);
    Path model = tmp.resolve("named-model");
    assertEquals(0, run("train", "--input", events.toString(), "--format", "taobao", "--detector", "isolation-forest",
        "--threshold", "evt:0.01", "--model", model.toString()).code());
    Path key = Files.writeString(tmp.resolve("named.key"), "pseudonymisation-key\n");
    Path out = tmp.resolve("named-out");
    Run score = run("score", "--model", model.toString(), "--input", events.toString(), "--format", "taobao",
        "--output", out.resolve("scores.csv").toString(), "--hmac-key-file", key.toString());
    Run stream = run("stream", "--model", model.toString(), "--input", events.toString(), "--format", "taobao",
        "--alerts", out.resolve("alerts.jsonl").toString(), "--snapshot", out.resolve("state").toString(),
        "--snapshot-every", "5000", "--hmac-key-file", key.toString(), "--sink", "log");
    assertEquals(0, score.code(), score.err());
    assertEquals(0, stream.code(), stream.err());
    assertTrue(Files.readAllLines(out.resolve("alerts.jsonl")).size() > 10);
    List<String> leaks = new ArrayList<>();
    try (var files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains("@shop.example")) {
          leaks.add(f.toString());
        }
      }
    }
    for (String text : List.of(score.out(), score.err(), stream.out(), stream.err())) {
      if (text.contains("@shop.example")) {
        leaks.add(text);
      }
    }
    assertEquals(List.of(), leaks, "raw actor ids in the outputs");
  }

  @Test
  void runningOutOfMemoryEndsWithAHintAndExitCode3() throws Exception {
    Optional<Path> f = shared("taobao/user_behavior_2h.csv");
    assumeTrue(f.isPresent(), "../shared/data is absent");
    // 96,168 events cannot be held in a 24 MB heap: a child JVM shows what a user sees
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
        "-cp", System.getProperty("java.class.path"), "io.seqwatch.cli.SeqwatchCommand", "train", "--input",
        f.get().toString(), "--format", "taobao", "--detector", "isolation-forest", "--model",
        tmp.resolve("oom-model").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(3, p.waitFor(), out);
    assertTrue(out.contains("seqwatch: out of memory: the data held in memory did not fit the Java heap"), out);
    assertTrue(out.contains("SEQWATCH_JAVA_OPTS=-Xmx"), out);
    assertFalse(out.contains("\tat "), "no stack trace: " + out);
  }

  @Test
  void nextEventModelsSeeThePaceByDefaultAndAnEncodeOptionWins() throws IOException {
    Path data = tmp.resolve("pace-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "150", "--seed", "4").code());
    // no --encode: the detector's default; --encode token=action: the caller's
    for (String encode : List.of("", "token=action")) {
      Path model = tmp.resolve("gru-" + encode.length());
      List<String> args = new ArrayList<>(List.of("train", "--input", data.resolve("events.csv").toString(), "--format",
          "taobao", "--detector", "gru", "--set", "epochs=1", "--set", "hidden=8", "--model", model.toString()));
      if (!encode.isEmpty()) {
        args.addAll(List.of("--encode", encode));
      }
      Run t = run(args.toArray(String[]::new));
      assertEquals(0, t.code(), t.err());
      String token = encode.isEmpty() ? "action+gap" : "action";
      assertTrue(Files.readString(model.resolve("manifest.json")).contains("\"token\" : \"" + token + "\""), token);
    }
  }

  @Test
  void trainEncodesActionGapTokensAndScreensTheTrainingData() throws IOException {
    Path data = tmp.resolve("screen-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "400", "--seed", "5").code());
    Path model = tmp.resolve("markov-screened");
    Run t = run("train", "--input", data.resolve("events.csv").toString(), "--format", "taobao", "--detector", "markov",
        "--encode", "token=action+gap", "--screen", "zscore:0.05", "--model", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("the screen zscore:0.05 left out 20 of 400 training sequences"), t.out());
    assertTrue(t.out().contains("trained markov on 380 sequences"), t.out());
    String manifest = Files.readString(model.resolve("manifest.json"));
    assertTrue(manifest.contains("action+gap") && manifest.contains("zscore:0.05"), manifest);
    Run bad = run("train", "--input", data.resolve("events.csv").toString(), "--format", "taobao", "--detector",
        "markov", "--encode", "token=gaps", "--model", tmp.resolve("bad").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("token=gaps is not one of action, action+gap"), bad.err());
    Run supervised = run("train", "--input", data.resolve("events.csv").toString(), "--format", "taobao", "--detector",
        "classifier", "--screen", "zscore:0.05", "--model", tmp.resolve("bad2").toString());
    assertEquals(2, supervised.code());
    assertTrue(supervised.err().contains("learns from labelled anomalies; a screen would take them out"), supervised.err());
  }

  @Test
  void generateTrainScoreEvaluateOnSimulatedData() throws IOException {
    Path data = tmp.resolve("data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "600", "--anomaly-rate", "0.05", "--seed", "3").code());
    Path model = tmp.resolve("m.zip");
    Run t = run("train", "--input", data.resolve("events.csv").toString(), "--format", "taobao", "--detector", "zscore",
        "--threshold", "contamination:0.05", "--model", model.toString());
    assertEquals(0, t.code(), t.err());
    Path scores = tmp.resolve("s.csv");
    assertEquals(0, run("score", "--model", model.toString(), "--input", data.resolve("events.csv").toString(),
        "--format", "taobao", "--output", scores.toString()).code());
    Path json = tmp.resolve("metrics.json");
    Run e = run("evaluate", "--scores", scores.toString(), "--labels", data.resolve("labels.csv").toString(),
        "--json", json.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("ROC-AUC"), e.out());
    assertTrue(e.out().contains("click_bot"), e.out());
    JsonNode m = new ObjectMapper().readTree(json.toFile());
    // independent check: recompute ROC-AUC from the written CSV files
    EvaluateCommand.ScoreTable table = EvaluateCommand.readScores(scores);
    Labels labels = Labels.read(data.resolve("labels.csv"));
    boolean[] y = new boolean[table.keys().size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.label(table.keys().get(i)).orElseThrow();
    }
    assertEquals(Metrics.rocAuc(table.scores(), y), m.get("roc_auc").asDouble(), 1e-12);
    assertTrue(m.get("roc_auc").asDouble() > 0.9, "zscore ROC-AUC " + m.get("roc_auc"));
    assertEquals(600, m.get("sequences").asInt());
  }

  @Test
  void exitCodesFollowTheContract() throws IOException {
    Path empty = Files.writeString(tmp.resolve("bad.csv"), "not,a,taobao,row\n");
    Run unknown = run("train", "--input", empty.toString(), "--format", "taobao", "--detector", "nope", "--model",
        tmp.resolve("m").toString());
    assertEquals(2, unknown.code());
    assertEquals("seqwatch: Unknown detector 'nope'. Found: autoencoder, classifier, dbscan, ensemble, gan, gru, hbos, iqr, "
        + "isolation-forest, kmeans, knn, lof, lstm, lstm-autoencoder, mad, markov, masked-transformer, ocsvm, onnx-features, onnx-next-action, "
        + "transformer, transformer-classifier, zscore.",
        unknown.err().strip());
    Run data = run("train", "--input", empty.toString(), "--format", "taobao", "--detector", "zscore", "--model",
        tmp.resolve("m").toString());
    assertEquals(3, data.code());
    assertTrue(data.err().contains("no valid taobao record in"), data.err());
    assertEquals(2, run("train", "--format", "taobao").code());
    Path notModel = Files.createDirectories(tmp.resolve("nm"));
    Run model = run("score", "--model", notModel.toString(), "--input", empty.toString(), "--format", "taobao",
        "--output", tmp.resolve("o.csv").toString());
    assertEquals(4, model.code());
    assertEquals("seqwatch: " + notModel + " is not a Seqwatch model bundle: manifest.json is missing", model.err().strip());
  }

  /**
   * The README's comparison: every unsupervised detector on simulated traffic with all six anomaly
   * kinds (4,000 users, 5 %, seed 7), trained unlabelled on half, scored on the other half.
   */
  @Test
  void demoPrintsTheDetectorComparisonAndTopAlerts() {
    Run r = run("demo", "--out", tmp.resolve("demo").toString());
    assertEquals(0, r.code(), r.err());
    System.out.println(r.out());
    String table = r.out().substring(r.out().indexOf("detector "), r.out().indexOf("Best by PR-AUC"));
    for (String name : List.of("autoencoder", "dbscan", "ensemble", "gan", "gru", "hbos", "iqr", "isolation-forest", "kmeans", "knn", "lof",
        "lstm", "lstm-autoencoder", "mad", "markov", "ocsvm", "transformer", "zscore", "lstm-screened")) {
      assertTrue(table.contains("\n" + name + " "), name + " in\n" + table);
    }
    String forest = table.lines().filter(l -> l.startsWith("isolation-forest ")).findFirst().orElseThrow();
    String[] cells = forest.trim().split("\\s+");
    assertTrue(Double.parseDouble(cells[1]) >= 0.99 && Double.parseDouble(cells[2]) >= 0.9, forest);
    // screened by the forest, the lstm learns people rather than the bots in the unlabelled traffic
    String screened = table.lines().filter(l -> l.startsWith("lstm-screened ")).findFirst().orElseThrow();
    String lstm = table.lines().filter(l -> l.startsWith("lstm ")).findFirst().orElseThrow();
    assertTrue(Double.parseDouble(screened.trim().split("\\s+")[2]) > Double.parseDouble(lstm.trim().split("\\s+")[2]) + 0.3,
        screened + "\n" + lstm);
    assertTrue(r.out().contains("Top alerts of"), r.out());
    assertTrue(Files.exists(tmp.resolve("demo/events.csv")));
    try (var files = Files.list(tmp.resolve("demo"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("report-")), "an HTML report");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code train --sample}: a seeded sample of whole actors, the same for the same seed. */
  @Test
  void trainOnASampleOfActors() throws IOException {
    Optional<Path> log = shared("taobao/user_behavior_2h.csv");
    assumeTrue(log.isPresent(), "../shared/data is absent");
    Run a = run("train", "--input", log.get().toString(), "--format", "taobao", "--detector", "zscore", "--sample",
        "2000", "--model", tmp.resolve("sampled").toString());
    assertEquals(0, a.code(), a.err());
    assertTrue(a.err().contains("sampled 2,000 actors ("), a.err());
    assertTrue(a.out().contains("trained zscore on 2,000 sequences"), a.out());
    Run share = run("train", "--input", log.get().toString(), "--format", "taobao", "--detector", "zscore", "--sample",
        "0.05", "--model", tmp.resolve("sampled2").toString());
    assertEquals(0, share.code(), share.err());
    int kept = Integer.parseInt(share.err().replaceAll("(?s).*sampled ([0-9,]+) actors.*", "$1").replace(",", ""));
    assertEquals(0.05 * 58_732, kept, 0.05 * 58_732 * 0.1, share.err());
    Run bad = run("train", "--input", log.get().toString(), "--format", "taobao", "--detector", "zscore", "--sample",
        "2.5", "--model", tmp.resolve("sampled3").toString());
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("sample '2.5' is neither a number of actors"), bad.err());
  }

  /** {@code inject --lengths-like-log}: the same attackers, each as long as a real sequence (the first events of its attack). */
  @Test
  void injectCutsAttackersToPeoplesLengthsOnRequest() throws IOException {
    Optional<Path> log = shared("rees46/events_oct_sample.csv");
    assumeTrue(log.isPresent(), "../shared/data is absent");
    long real = Files.lines(log.get()).count() - 1;
    long[] attackEvents = new long[2];
    List<List<String>> labels = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("lengths-" + i);
      List<String> args = new java.util.ArrayList<>(List.of("inject", "--input", log.get().toString(), "--format", "rees46",
          "--out", out.toString(), "--seed", "4"));
      if (i == 1) {
        args.add("--lengths-like-log");
      }
      Run inj = run(args.toArray(String[]::new));
      assertEquals(0, inj.code(), inj.err());
      attackEvents[i] = Files.lines(out.resolve("events.csv")).count() - 1 - real;
      labels.add(Files.readAllLines(out.resolve("labels.csv")));
    }
    assertEquals(labels.get(0), labels.get(1), "the same attackers, of the same kinds");
    long attackers = labels.get(0).stream().filter(l -> l.contains(",1,")).count();
    assertTrue(attackers >= 50, labels.get(0).size() + " labels");
    // each kind's own length is 15-600 events (a takeover adds 3+); REES46's sessions are 2.6 events on average
    assertTrue(attackEvents[0] > 15 * attackers && attackEvents[1] < 6 * attackers,
        attackEvents[0] + " and " + attackEvents[1] + " attack events for " + attackers + " attackers");
  }

  /**
   * {@code inject --signals} then {@code train}/{@code score} on the JSON lines it writes: the read
   * lists the attributes kept, the features use them, and the reasons name them.
   */
  @Test
  void injectedTrafficSignalsTrainScoreAndExplain() throws IOException {
    Optional<Path> log = shared("rees46/events_oct_sample.csv");
    assumeTrue(log.isPresent(), "../shared/data is absent");
    Path out = tmp.resolve("signals");
    Run inj = run("inject", "--input", log.get().toString(), "--format", "rees46", "--out", out.toString(),
        "--signals", "--seed", "3");
    assertEquals(0, inj.code(), inj.err());
    assertTrue(inj.out().contains("events.jsonl"), inj.out());
    Path model = tmp.resolve("signals-model");
    Run train = run("train", "--input", out.resolve("events.jsonl").toString(), "--format", "jsonl",
        "--detector", "isolation-forest", "--model", model.toString());
    assertEquals(0, train.code(), train.err());
    for (String kept : List.of("brand (categorical)", "category_code (categorical)", "device (categorical)",
        "ip (categorical)", "user_agent (categorical)")) {
      assertTrue(train.err().contains(kept), kept + " in: " + train.err());
    }
    Path scores = tmp.resolve("signals-scores.csv");
    Run score = run("score", "--model", model.toString(), "--input", out.resolve("events.jsonl").toString(),
        "--format", "jsonl", "--output", scores.toString());
    assertEquals(0, score.code(), score.err());
    String text = Files.readString(scores);
    assertTrue(text.contains("non_browser_share") || text.contains("ip_switch_rate") || text.contains("device_actors")
        || text.contains("user_agent_rarity"), "reasons name a signal feature");
    Run plugins = run("plugins");
    assertTrue(plugins.out().contains("non-browser share"), plugins.out());
    // user profiles and an item catalogue join at read time; the account age becomes a feature
    List<String> actors = new java.util.ArrayList<>(List.of("user_id,created,segment"));
    List<String> labelRows = Files.readAllLines(out.resolve("labels.csv"));
    for (int i = 1; i < labelRows.size(); i++) {
      actors.add(labelRows.get(i).split(",")[0] + "," + (1_560_000_000L + 997L * i) + ",s" + i % 3);
    }
    actors.add("u-broken,\"unclosed,s1");
    Files.write(tmp.resolve("actors.csv"), actors);
    Files.writeString(tmp.resolve("items.jsonl"), "{\"item_id\":\"1004767\",\"band\":\"high\",\"vec\":[0.5,1]}\n");
    Path model2 = tmp.resolve("signals-model2");
    Run withTables = run("train", "--input", out.resolve("events.jsonl").toString(), "--format", "jsonl",
        "--actors", tmp.resolve("actors.csv").toString(), "--items", tmp.resolve("items.jsonl").toString(),
        "--detector", "isolation-forest", "--model", model2.toString());
    assertEquals(0, withTables.code(), withTables.err());
    assertTrue(withTables.err().contains("read side table " + tmp.resolve("actors.csv") + ": " + String.format(
        java.util.Locale.ROOT, "%,d", actors.size() - 1) + " rows, " + String.format(java.util.Locale.ROOT, "%,d",
        actors.size() - 2) + " accepted, 1 rejected"), withTables.err());
    assertTrue(withTables.err().contains(" events joined, 0 without a row"), withTables.err());
    assertTrue(withTables.err().contains("joined items.jsonl: "), withTables.err());
    assertTrue(Files.readString(model2.resolve("manifest.json")).contains("\"signals\" : \"device,ip,user-agent,account\""));
  }

  /** {@code demo --input}: the same comparison on a real log (REES46) with attacks injected into it. */
  @Test
  void demoOnARealLogInjectsAttacksAndComparesTheDetectorsOnIt() throws IOException {
    Optional<Path> log = shared("rees46/events_oct_sample.csv");
    assumeTrue(log.isPresent(), "../shared/data is absent");
    Path out = tmp.resolve("demo-real");
    Run r = run("demo", "--input", log.get().toString(), "--format", "rees46", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    System.out.println(r.out());
    assertTrue(r.out().contains("Injected ") && r.out().contains("attackers among 1,834 actors"), r.out());
    List<String> labels = Files.readAllLines(out.resolve("labels.csv"));
    assertEquals(1 + 1_834, labels.size());
    String table = r.out().substring(r.out().indexOf("detector "), r.out().indexOf("Best by PR-AUC"));
    String forest = table.lines().filter(l -> l.startsWith("isolation-forest ")).findFirst().orElseThrow();
    assertTrue(Double.parseDouble(forest.trim().split("\\s+")[2]) >= 0.8, forest);
    assertTrue(r.out().contains("Next: ./seqwatch train --input " + log.get() + " --format rees46 --detector "),
        r.out());
    try (var files = Files.list(out)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("report-")), "an HTML report");
    }
    Run refused = run("demo", "--input", log.get().toString(), "--format", "tokens", "--out", out.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("demo --input injects shop attacks into an event log"), refused.err());
  }

  @Test
  void everyCommandAnswersVersionWithTheRealVersion() {
    String version = io.seqwatch.core.pipeline.FittedPipeline.version();
    for (String command : List.of("demo", "plugins", "generate", "inject", "train", "score", "evaluate", "export",
        "stream", "keygen")) {
      Run r = run(command, "--version");
      assertEquals(0, r.code(), command);
      assertEquals("seqwatch " + version, r.out().trim(), command);
    }
  }

  @Test
  void completionPrintsABashScriptThatKnowsTheCommands() {
    Run r = run("completion");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("complete -F") && r.out().contains("train") && r.out().contains("--detector"),
        r.out().substring(0, Math.min(400, r.out().length())));
  }

  @Test
  void jsonSummariesOfTrainScoreAndStreamCarryTheCountsAScriptNeeds() throws IOException {
    Path data = tmp.resolve("json-data");
    assertEquals(0, run("generate", "--out", data.toString(), "--users", "150", "--seed", "4").code());
    Path events = data.resolve("events.csv");
    Files.writeString(events, "not,a,valid,line\n", java.nio.file.StandardOpenOption.APPEND);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Path model = tmp.resolve("json-model");
    Run t = run("train", "--input", events.toString(), "--format", "taobao", "--detector", "zscore", "--model",
        model.toString(), "--json");
    assertEquals(0, t.code(), t.err());
    com.fasterxml.jackson.databind.JsonNode tj = json.readTree(t.out());
    assertEquals("train", tj.get("command").asText());
    assertEquals(1, tj.get("read").get("rejected").asLong());
    assertEquals(tj.get("read").get("records").asLong(), tj.get("read").get("accepted").asLong() + 1);
    assertEquals(150, tj.get("sequences").asLong());
    assertTrue(tj.get("threshold").get("value").isNumber() && tj.get("model").asText().equals(model.toString()), t.out());
    Run s = run("score", "--model", model.toString(), "--input", events.toString(), "--format", "taobao", "--output",
        tmp.resolve("json-scores.csv").toString(), "--json");
    assertEquals(0, s.code(), s.err());
    com.fasterxml.jackson.databind.JsonNode sj = json.readTree(s.out());
    assertEquals(150, sj.get("sequences").asLong());
    long flagged;
    try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(Files.newBufferedReader(tmp.resolve("json-scores.csv")))) {
      flagged = parser.stream().filter(r -> r.get("anomalous").equals("1")).count();
    }
    assertEquals(flagged, sj.get("anomalous").asLong());
    assertEquals("zscore", sj.get("detector").asText());
    Run st = run("stream", "--model", model.toString(), "--input", events.toString(), "--format", "taobao", "--alerts",
        tmp.resolve("json-alerts.jsonl").toString(), "--json");
    assertEquals(0, st.code(), st.err());
    com.fasterxml.jackson.databind.JsonNode stj = json.readTree(st.out());
    assertEquals(stj.get("read").get("accepted").asLong(), stj.get("events").asLong());
    assertEquals(stj.get("events").asLong(), stj.get("scored").asLong() + stj.get("late").asLong()
        + stj.get("duplicates").asLong() + stj.get("future").asLong() + stj.get("buffered").asLong());
    assertEquals(Files.readAllLines(tmp.resolve("json-alerts.jsonl")).size(), stj.get("alerts").asLong());
  }
}
