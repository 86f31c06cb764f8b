package io.seqwatch.samples.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.spi.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink job on a local mini-cluster (2 task slots, checkpoints every 200 ms) over the real
 * Taobao slice: the alerts are those of the in-process {@code StreamingScorer} on the same events,
 * and the truncated last row comes out on the rejected side output with its reason.
 */
class FlinkJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir Path dir;

  @Test
  void keyedFlinkScoringRaisesTheSameAlertsAsTheStreamingScorer() throws Exception {
    TaobaoRun run = taobaoRun(SeqwatchFlinkJob.DEFAULT_IDLE_TTL, true);
    assertEquals(1, run.rejected.size(), run.rejected.toString());
    assertTrue(run.rejected.get(0).contains("not a Unix time"), run.rejected.get(0));
    for (String a : run.alerts) {
      assertTrue(a.startsWith("{\"id\":\"") && a.contains("\"reasons\":[{"), a);
    }
    assertTrue(run.alerts.size() > 50, run.alerts.size() + " alerts");
    // the same alert ids as the in-process scorer: consumers can drop repeats across engines and restarts
    assertEquals(run.expected.size(), run.alerts.size());
    assertEquals(new TreeSet<>(run.expected), run.flinkKeys());
  }

  /**
   * Event time: with a 10-minute idle TTL, actors that pause longer within the 2-hour log start new
   * sequences in the job (watermarks, event-time expiry) exactly where the in-process scorer evicts
   * them, and the alerts differ from those without the TTL, so the expiry was exercised.
   */
  @Test
  void sequencesExpireInEventTimeAsInProcess() throws Exception {
    TaobaoRun run = taobaoRun(java.time.Duration.ofMinutes(10), true);
    assertEquals(run.expected.size(), run.alerts.size());
    assertEquals(new TreeSet<>(run.expected), run.flinkKeys());
    assertNotEquals(new TreeSet<>(taobaoRun(java.time.Duration.ZERO, false).expected), new TreeSet<>(run.expected));
  }

  /**
   * Alerts of the in-process scorer and (when {@code flink}) of the job on the first 30,000 Taobao
   * rows and the truncated one.
   */
  private record TaobaoRun(List<String> expected, List<String> alerts, List<String> rejected) {
    TreeSet<String> flinkKeys() {
      TreeSet<String> keys = new TreeSet<>();
      for (String a : alerts) {
        keys.add(field(a, "id") + " " + field(a, "key"));
      }
      return keys;
    }
  }

  private TaobaoRun taobaoRun(java.time.Duration idleTtl, boolean flink) throws Exception {
    String root = System.getProperty("seqwatch.shared.data", "../shared/data");
    Path log = Path.of(root, "taobao/user_behavior_2h.csv");
    assumeTrue(Files.isRegularFile(log), "../shared/data is absent");
    List<String> all = Files.readAllLines(log);
    List<String> lines = new ArrayList<>(all.subList(0, 30_000));
    lines.add(all.get(all.size() - 1)); // the truncated row
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("taobao").read(log, events::add, r -> { });
    Path model = dir.resolve("model");
    List<String> expected = new ArrayList<>();
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").build().fitEvents(events)) {
      p.save(model);
      StreamingScorer s = StreamingScorer.builder(p).idleTtl(idleTtl).build();
      for (BehaviorEvent e : events.subList(0, 30_000)) {
        for (Alert a : s.accept(e)) {
          expected.add(a.id() + " " + a.key());
        }
      }
    }
    if (!flink) {
      return new TaobaoRun(expected, List.of(), List.of());
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    DataStream<String> source = env.fromData(lines).setParallelism(1);
    List<DataStream<String>> out = SeqwatchFlinkJob.build(source, model.toString(), "taobao", "actor", idleTtl,
        java.time.Duration.ZERO);
    DataStream<String> both = out.get(0).map(a -> "A" + a).returns(Types.STRING)
        .union(out.get(1).map(r -> "R" + r).returns(Types.STRING));
    List<String> alerts = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    try (CloseableIterator<String> it = both.executeAndCollect()) {
      it.forEachRemaining(x -> (x.startsWith("A") ? alerts : rejected).add(x.substring(1)));
    }
    return new TaobaoRun(expected, alerts, rejected);
  }

  /**
   * Events with attributes (REES46 with device, address and user-agent signals injected, as JSON
   * lines): the job's keyed state carries them, and the signal features score as in process.
   */
  @Test
  void eventsWithTrafficSignalsScoreInFlinkAsInProcess() throws Exception {
    String root = System.getProperty("seqwatch.shared.data", "../shared/data");
    Path log = Path.of(root, "rees46/events_oct_sample.csv");
    assumeTrue(Files.isRegularFile(log), "../shared/data is absent");
    List<BehaviorEvent> real = new ArrayList<>();
    EventReaders.forFormat("rees46").read(log, real::add, r -> { });
    io.seqwatch.core.inject.Injector.Injected inj = io.seqwatch.core.inject.Injector.builder().rate(0.05).seed(4)
        .signals(true).build().inject(real);
    io.seqwatch.core.io.EventWriter w = io.seqwatch.core.io.EventWriter.forFormat("jsonl");
    List<String> lines = inj.merged(real).stream().map(w::line).toList();
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("jsonl").read(new java.io.BufferedReader(new java.io.StringReader(String.join("\n", lines))),
        events::add, r -> { });
    Path model = dir.resolve("signals-model");
    List<String> expected = new ArrayList<>();
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").build().fitEvents(events)) {
      assertTrue(p.featureExtractor().orElseThrow().schema().names().contains("device_actors"));
      p.save(model);
      StreamingScorer s = StreamingScorer.builder(p).build();
      for (BehaviorEvent e : events) {
        for (Alert a : s.accept(e)) {
          expected.add(a.id() + " " + a.key());
        }
      }
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<String> source = env.fromData(lines).setParallelism(1);
    List<String> alerts = new ArrayList<>();
    try (CloseableIterator<String> it = SeqwatchFlinkJob.build(source, model.toString(), "jsonl", "actor").get(0)
        .executeAndCollect()) {
      it.forEachRemaining(alerts::add);
    }
    TreeSet<String> flinkKeys = new TreeSet<>();
    alerts.forEach(a -> flinkKeys.add(field(a, "id") + " " + field(a, "key")));
    assertTrue(alerts.size() > 20, alerts.size() + " alerts");
    assertEquals(new TreeSet<>(expected), flinkKeys);
  }

  /**
   * Batch mode on the real Taobao slice (with the truncated row), in Flink's BATCH execution with
   * two slots: one CSV row per sequence, equal to what {@code seqwatch score} writes for the file
   * ({@link io.seqwatch.core.io.ScoreCsv} rows of {@code FittedPipeline.scoreEvents}), with gap
   * grouping so that events of equal time and the burst keys must come out as the CLI's.
   */
  @Test
  void batchModeScoresAHistoricalLogAsSeqwatchScoreDoes() throws Exception {
    String root = System.getProperty("seqwatch.shared.data", "../shared/data");
    Path log = Path.of(root, "taobao/user_behavior_2h.csv");
    assumeTrue(Files.isRegularFile(log), "../shared/data is absent");
    List<String> all = Files.readAllLines(log);
    List<String> lines = new ArrayList<>(all.subList(0, 20_000));
    lines.add(all.get(all.size() - 1)); // the truncated row
    Path file = Files.write(dir.resolve("history.csv"), lines);
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("taobao").read(file, events::add, r -> { });
    Path model = dir.resolve("batch-model");
    List<String> expected = new ArrayList<>();
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest")
        .grouping(io.seqwatch.core.prep.Grouping.parse("gap:10m")).build().fitEvents(events)) {
      p.save(model);
      p.scoreEvents(events, 1).forEach(s -> expected.add(io.seqwatch.core.io.ScoreCsv.row(s, s.key())));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
    env.setParallelism(2);
    DataStream<String> source = env.fromData(lines).setParallelism(1);
    List<DataStream<String>> out = SeqwatchFlinkJob.buildBatch(source, model.toString(), "taobao", "gap:10m");
    DataStream<String> both = out.get(0).map(a -> "S" + a).returns(Types.STRING)
        .union(out.get(1).map(r -> "R" + r).returns(Types.STRING));
    List<String> rows = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    try (CloseableIterator<String> it = both.executeAndCollect()) {
      it.forEachRemaining(x -> (x.startsWith("S") ? rows : rejected).add(x.substring(1)));
    }
    assertEquals(1, rejected.size(), rejected.toString());
    assertTrue(rejected.get(0).startsWith("line 20001: ") && rejected.get(0).contains("not a Unix time"),
        rejected.get(0));
    assertTrue(expected.size() > 10_000, expected.size() + " sequences");
    assertTrue(expected.stream().anyMatch(r -> r.contains(",1,")), "some sequences are anomalous");
    assertEquals(expected.size(), rows.size());
    assertEquals(new TreeSet<>(expected), new TreeSet<>(rows));
  }

  /**
   * Sample mode: the lines of a seeded 10 % of actors on the real Taobao slice, exactly the events
   * {@code ActorSample} (what {@code seqwatch train --sample 0.1 --seed 7} holds) keeps.
   */
  @Test
  void sampleModeDrawsTheActorsTrainSampleWouldKeep() throws Exception {
    String root = System.getProperty("seqwatch.shared.data", "../shared/data");
    Path log = Path.of(root, "taobao/user_behavior_2h.csv");
    assumeTrue(Files.isRegularFile(log), "../shared/data is absent");
    List<String> all = Files.readAllLines(log);
    io.seqwatch.core.prep.ActorSample sample = io.seqwatch.core.prep.ActorSample.ofShare(0.1, 7);
    EventReaders.forFormat("taobao").read(log, sample, r -> { });
    List<String> expected = sample.events().stream().map(e -> all.get((int) e.line() - 1)).toList();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
    env.setParallelism(2);
    List<String> kept = new ArrayList<>();
    try (CloseableIterator<String> it = SeqwatchFlinkJob.buildSample(env.fromData(all), "taobao", 0.1, 7).get(0)
        .executeAndCollect()) {
      it.forEachRemaining(kept::add);
    }
    assertTrue(sample.keptActors() > 500, sample.text());
    assertEquals(expected.size(), kept.size());
    assertEquals(new java.util.TreeMap<>(counts(expected)), new java.util.TreeMap<>(counts(kept)));
  }

  private static java.util.Map<String, Long> counts(List<String> lines) {
    return lines.stream().collect(java.util.stream.Collectors.groupingBy(l -> l, java.util.stream.Collectors.counting()));
  }

  /** A string field of an alert's JSON line. */
  static String field(String json, String name) {
    int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
    return json.substring(at, json.indexOf('"', at));
  }

  /** Keyed state expires with the scorer's idle TTL, so state is bounded by the actors active within it. */
  @Test
  void keyedStateExpiresAfterTheIdleTtlAndIsNeverReturnedExpired() {
    var d = SeqwatchFlinkJob.stateDescriptor(java.time.Duration.ofMinutes(30));
    var ttl = d.getTtlConfig();
    assertTrue(ttl.isEnabled());
    assertEquals(java.time.Duration.ofMinutes(30), ttl.getTimeToLive());
    assertEquals(org.apache.flink.api.common.state.StateTtlConfig.UpdateType.OnCreateAndWrite, ttl.getUpdateType());
    assertEquals(org.apache.flink.api.common.state.StateTtlConfig.StateVisibility.NeverReturnExpired,
        ttl.getStateVisibility());
    assertEquals(SeqwatchFlinkJob.DEFAULT_IDLE_TTL, java.time.Duration.ofHours(24));
  }
}
