package io.seqwatch.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReader;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.plugin.kafka.testkit.InProcessKafka;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker in-process (KRaft, one combined broker and controller): Taobao event lines go into
 * a topic, a consumer loop scores them with the {@link StreamingScorer} and produces alerts through
 * the {@code kafka} sink, committing offsets together with a scorer snapshot. The loop is killed
 * mid-stream without committing its last batch and restarted from the last commit: the alerts on the
 * topic are then exactly those of an uninterrupted run (the replayed batch may repeat alerts, none
 * is lost).
 */
class KafkaRoundTripTest {
  @TempDir Path dir;

  @Test
  void eventsInAlertsOutNothingLostAcrossAConsumerRestart() throws Exception {
    String root = System.getProperty("seqwatch.shared.data", "../shared/data");
    Path log = Path.of(root, "taobao/user_behavior_2h.csv");
    assumeTrue(Files.isRegularFile(log), "../shared/data is absent");
    List<String> lines = Files.readAllLines(log).subList(0, 20_000);
    EventReader reader = EventReaders.forFormat("taobao");
    List<BehaviorEvent> events = new ArrayList<>();
    for (String l : lines) {
      reader.read(new BufferedReader(new StringReader(l)), events::add, r -> { });
    }
    Path model = dir.resolve("model");
    Set<String> expected = new TreeSet<>();
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").build().fitEvents(events)) {
      p.save(model);
      StreamingScorer s = StreamingScorer.builder(p).build();
      events.forEach(e -> s.accept(e).forEach(a -> expected.add(a.key())));
    }
    assertTrue(expected.size() > 20, expected.size() + " alerted actors");

    try (KafkaClusterTestKit kafka = InProcessKafka.start("events", "alerts")) {
      String servers = kafka.bootstrapServers();
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        for (String l : lines) {
          producer.send(new ProducerRecord<>("events", l.substring(0, l.indexOf(',')), l));
        }
      }

      Path snapshot = dir.resolve("scorer.snapshot");
      int first = runLoop(servers, model, snapshot, 12_000); // killed after 12,000 events, last batch uncommitted
      assertTrue(first >= 12_000, first + " processed before the kill");
      runLoop(servers, model, snapshot, Integer.MAX_VALUE); // restarted from the last commit

      List<String> alerts = new ArrayList<>();
      Properties cp = consumerProperties(servers, "checker");
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
        c.subscribe(List.of("alerts"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
            alerts.add(r.key());
          }
          if (new TreeSet<>(alerts).containsAll(expected) && !alerts.isEmpty()) {
            break;
          }
        }
      }
      assertEquals(expected, new TreeSet<>(alerts), "alerted actors on the topic");
      assertTrue(alerts.size() >= expected.size());
    }
  }

  private static Properties consumerProperties(String servers, String group) {
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    return cp;
  }

  /**
   * The scoring loop: restore the scorer from the snapshot of the last commit, consume, score,
   * produce alerts, then snapshot and commit after each batch. Stops ("crashes", without committing
   * the batch in hand) once {@code killAfter} events were processed, or when the topic is drained.
   *
   * @return events processed
   */
  private static int runLoop(String servers, Path model, Path snapshot, int killAfter) throws IOException {
    EventReader reader = EventReaders.forFormat("taobao");
    AlertSinkProvider kafkaSink = Registries.discover().sinks().find("kafka");
    int processed = 0;
    try (FittedPipeline p = FittedPipeline.load(model);
        AlertSink sink = kafkaSink.create(Options.of(kafkaSink.options(), Map.of("bootstrap-servers", servers,
            "topic", "alerts")));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(servers, "seqwatch"),
            new StringDeserializer(), new StringDeserializer())) {
      StreamingScorer scorer = StreamingScorer.builder(p).build();
      if (Files.isRegularFile(snapshot)) {
        scorer.restore(snapshot);
      }
      consumer.subscribe(List.of("events"));
      int idle = 0;
      boolean started = false;
      while (idle < (started ? 4 : 60)) { // up to 30 s to join the group, then stop when drained
        var batch = consumer.poll(Duration.ofMillis(500));
        if (batch.isEmpty()) {
          idle++;
          continue;
        }
        started = true;
        idle = 0;
        List<BehaviorEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : batch) {
          reader.read(new BufferedReader(new StringReader(r.value())), events::add, rej -> { });
        }
        for (Alert a : scorer.acceptAll(events)) { // the poll's batch in one call
          sink.send(a);
        }
        processed += events.size();
        if (processed >= killAfter) {
          return processed; // the crash: this batch's offsets and state are not committed
        }
        scorer.snapshot(snapshot);
        consumer.commitSync();
      }
    }
    return processed;
  }
}
