package io.seqwatch.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Explanation;
import io.seqwatch.plugin.kafka.testkit.InProcessKafka;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.Options;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;

/** {@code producer.<setting>} options reach the Kafka producer as written; Kafka checks them. */
class KafkaProducerOptionsTest {
  private final KafkaAlertSinkProvider provider = new KafkaAlertSinkProvider();

  @Test
  void aProducerSettingKafkaRefusesIsReportedWithItsValue() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> provider.create(Options.of(
        provider.options(), Map.of("bootstrap-servers", "localhost:1", "producer.security.protocol", "NOPE"))));
    assertTrue(e.getMessage().contains("kafka sink: cannot create a producer") && e.getMessage().contains("NOPE"),
        e.getMessage());
    ConfigurationException bare = assertThrows(ConfigurationException.class,
        () -> Options.of(provider.options(), Map.of("producer.", "x")));
    assertTrue(bare.getMessage().contains("is a prefix"), bare.getMessage());
  }

  @Test
  void passedSettingsProduceToARealBrokerAndTheStatsCountTheAcknowledgements() throws Exception {
    try (KafkaClusterTestKit kafka = InProcessKafka.start("alerts")) {
      String servers = kafka.bootstrapServers();
      Options o = Options.of(provider.options(), Map.of("bootstrap-servers", servers, "topic", "alerts",
          "producer.compression.type", "gzip", "producer.client.id", "shop-eu", "producer.linger.ms", "0"));
      assertEquals(Map.of("compression.type", "gzip", "client.id", "shop-eu", "linger.ms", "0"), o.withPrefix("producer."));
      try (AlertSink sink = provider.create(o)) {
        for (int i = 0; i < 3; i++) {
          sink.send(new Alert("actor-" + i, "isolation-forest", 0.9, 0.6, new Explanation(List.of()),
              Instant.ofEpochSecond(1_511_600_000L + i)));
        }
        sink.flush();
        assertEquals(3, sink.stats().orElseThrow().delivered());
        assertEquals(0, sink.stats().orElseThrow().queued());
      }
      List<String> keys = InProcessKafka.keys(servers, "alerts", "options-test", Map.of(), 3);
      assertEquals(List.of("actor-0", "actor-1", "actor-2"), keys);
    }
  }
}
