package io.seqwatch.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.Explanation;
import io.seqwatch.plugin.kafka.testkit.InProcessKafka;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.Options;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;

/**
 * The Kafka sink reaches a cluster that demands authentication: a broker whose client listener is
 * SASL_PLAINTEXT with the PLAIN mechanism (the test kit's users), and the sink configured only through
 * {@code producer.*} options, as a team would for its own cluster. Wrong credentials are counted as
 * failed deliveries, never as delivered.
 */
class KafkaSaslTest {
  private final KafkaAlertSinkProvider provider = new KafkaAlertSinkProvider();

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  private static Alert alert(int i) {
    return new Alert("actor-" + i, "isolation-forest", 0.9, 0.6, new Explanation(List.of()),
        Instant.ofEpochSecond(1_511_600_000L + i));
  }

  @Test
  void alertsReachASaslClusterWithGoodCredentialsAndFailWithBadOnes() throws Exception {
    // the kit turns on an authorizer with SASL; without ACLs every authenticated principal may act
    try (KafkaClusterTestKit kafka = InProcessKafka.start(SecurityProtocol.SASL_PLAINTEXT,
        Map.of("allow.everyone.if.no.acl.found", "true"), "alerts")) {
      String servers = kafka.bootstrapServers();
      Map<String, String> sasl = Map.of("producer.security.protocol", "SASL_PLAINTEXT",
          "producer.sasl.mechanism", "PLAIN",
          "producer.sasl.jaas.config", jaas(JaasUtils.KAFKA_PLAIN_USER1, JaasUtils.KAFKA_PLAIN_USER1_PASSWORD));
      Map<String, String> options = new java.util.HashMap<>(sasl);
      options.put("bootstrap-servers", servers);
      options.put("topic", "alerts");
      try (AlertSink sink = provider.create(Options.of(provider.options(), options))) {
        for (int i = 0; i < 3; i++) {
          sink.send(alert(i));
        }
        sink.flush();
        assertEquals(3, sink.stats().orElseThrow().delivered());
        assertEquals(0, sink.stats().orElseThrow().failed());
      }

      options.put("producer.sasl.jaas.config", jaas(JaasUtils.KAFKA_PLAIN_USER1, "wrong-secret"));
      options.put("producer.max.block.ms", "3000"); // an unauthenticated producer gives up instead of waiting
      try (AlertSink sink = provider.create(Options.of(provider.options(), options))) {
        sink.send(alert(9));
        sink.flush();
        assertEquals(0, sink.stats().orElseThrow().delivered());
        assertTrue(sink.stats().orElseThrow().failed() + sink.stats().orElseThrow().spilled() >= 1,
            "a rejected login is a failed delivery: " + sink.stats().orElseThrow());
      }

      Map<String, String> client = new java.util.HashMap<>(); // the producer's SASL settings, for a consumer
      sasl.forEach((k, v) -> client.put(k.substring("producer.".length()), v));
      List<String> keys = InProcessKafka.keys(servers, "alerts", "sasl-test", client, 3);
      assertEquals(List.of("actor-0", "actor-1", "actor-2"), keys);
    }
  }
}
