package io.seqwatch.samples.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.plugin.kafka.testkit.InProcessKafka;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink job reading its events from a real Kafka broker (in-process, KRaft): the alerts are
 * those of the in-process {@code StreamingScorer} on the same events.
 */
class FlinkKafkaJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir Path dir;

  @Test
  void eventsFromKafkaGiveTheStreamingScorersAlerts() throws Exception {
    Path log = Path.of(System.getProperty("seqwatch.shared.data", "../shared/data"), "taobao/user_behavior_2h.csv");
    assumeTrue(Files.isRegularFile(log), "../shared/data is absent");
    List<String> lines = Files.readAllLines(log).subList(0, 15_000);
    List<BehaviorEvent> events = new ArrayList<>();
    for (String l : lines) {
      EventReaders.forFormat("taobao").read(new BufferedReader(new StringReader(l)), events::add, r -> { });
    }
    Path model = dir.resolve("model");
    TreeSet<String> expected = new TreeSet<>();
    int expectedCount = 0;
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").build().fitEvents(events)) {
      p.save(model);
      StreamingScorer s = StreamingScorer.builder(p).build();
      for (BehaviorEvent e : events) {
        var alerts = s.accept(e);
        expectedCount += alerts.size();
        alerts.forEach(a -> expected.add(a.key()));
      }
    }
    try (KafkaClusterTestKit kafka = InProcessKafka.start("events")) {
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        for (String l : lines) {
          producer.send(new ProducerRecord<>("events", l.substring(0, l.indexOf(',')), l));
        }
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(2);
      DataStream<String> source = SeqwatchFlinkJob.kafka(env, kafka.bootstrapServers() + "/events", true)
          .setParallelism(1);
      List<DataStream<String>> out = SeqwatchFlinkJob.build(source, model.toString(), "taobao", "actor");
      List<String> alerts = new ArrayList<>();
      try (CloseableIterator<String> it = out.get(0).executeAndCollect()) {
        it.forEachRemaining(alerts::add);
      }
      TreeSet<String> keys = new TreeSet<>();
      alerts.forEach(a -> keys.add(FlinkJobTest.field(a, "key")));
      assertTrue(alerts.size() > 20, alerts.size() + " alerts");
      assertEquals(expectedCount, alerts.size());
      assertEquals(expected, keys);
    }
  }
}
