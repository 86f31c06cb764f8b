package io.seqwatch.plugin.kafka.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
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
    KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("group.initial.rebalance.delay.ms", 0)
        .setConfigProp("offsets.topic.replication.factor", (short) 1)
        .setConfigProp("offsets.topic.num.partitions", 1)
        .setConfigProp("transaction.state.log.replication.factor", (short) 1)
        .setConfigProp("transaction.state.log.min.isr", 1).build();
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
}
