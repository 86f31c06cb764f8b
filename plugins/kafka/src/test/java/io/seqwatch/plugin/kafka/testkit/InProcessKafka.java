package io.seqwatch.plugin.kafka.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real one-node Kafka (KRaft, broker and controller combined) in the test's JVM, set up the way a
 * single broker needs: internal topics with one replica, no initial rebalance delay. Shared by the
 * tests of this module and of the Flink sample (test-jar).
 *
 * <p>Thread-safety: not thread-safe; one test starts and closes it.
 */
public final class InProcessKafka {
  private InProcessKafka() {}

  /**
   * Starts a broker and creates the topics, one partition each. The caller closes it.
   *
   * @throws Exception when the broker does not start or a topic cannot be created
   */
  public static KafkaClusterTestKit start(String... topics) throws Exception {
    return start(SecurityProtocol.PLAINTEXT, Map.of(), topics);
  }

  /**
   * Starts a broker whose client listener speaks {@code protocol} (PLAINTEXT or SASL_PLAINTEXT; with
   * SASL the kit's PLAIN users, {@link org.apache.kafka.common.test.JaasUtils}), with {@code config}
   * on top of the one-broker settings, and creates the topics. The caller closes it.
   *
   * @throws Exception when the broker does not start or a topic cannot be created
   */
  public static KafkaClusterTestKit start(SecurityProtocol protocol, Map<String, Object> config, String... topics)
      throws Exception {
    KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBrokerSecurityProtocol(protocol).build())
        .setConfigProp("group.initial.rebalance.delay.ms", 0)
        .setConfigProp("offsets.topic.replication.factor", (short) 1)
        .setConfigProp("offsets.topic.num.partitions", 1)
        .setConfigProp("transaction.state.log.replication.factor", (short) 1)
        .setConfigProp("transaction.state.log.min.isr", 1);
    config.forEach(b::setConfigProp);
    KafkaClusterTestKit kafka = b.build();
    try {
      kafka.format();
      kafka.startup();
      kafka.waitForReadyBrokers();
      List<NewTopic> created = new ArrayList<>();
      for (String t : topics) {
        created.add(new NewTopic(t, 1, (short) 1));
      }
      try (var admin = kafka.admin()) {
        admin.createTopics(created).all().get();
      }
      return kafka;
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
  }

  /**
   * The keys of the first {@code count} records of {@code topic}, read from the start by a new
   * consumer group with {@code client} settings on top (security, for example); fewer if they do not
   * come within 100 polls (bounded by count, not by time).
   */
  public static List<String> keys(String servers, String topic, String group, Map<String, String> client, int count) {
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.putAll(client);
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      for (int polls = 0; keys.size() < count && polls < 100; polls++) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          keys.add(r.key());
        }
      }
    }
    return keys;
  }
}
