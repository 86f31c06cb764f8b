package io.seqwatch.plugin.kafka;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.support.AlertJson;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code kafka}: produces every alert ({@link AlertJson}) to a topic with an idempotent
 * producer ({@code acks=all}), keyed by the actor id (or its HMAC with {@code hmac-key}). {@code
 * flush()} on close waits for every alert to be acknowledged; an alert the broker could not take
 * within {@code delivery-timeout-ms} is logged with its JSON at ERROR, never dropped silently. Any
 * producer setting passes through as {@code producer.<setting>} (security, SASL, SSL, compression,
 * client id, ...): {@code producer.security.protocol=SASL_SSL}, {@code producer.sasl.mechanism=PLAIN},
 * {@code producer.sasl.jaas.config=...}; Kafka itself checks them.
 *
 * <p>Thread-safety: stateless; the sink is safe for concurrent {@code send} (the producer is).
 */
public final class KafkaAlertSinkProvider implements AlertSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertSinkProvider.class);

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String description() {
    return "produces each alert as JSON to a Kafka topic (idempotent, acks=all)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("bootstrap-servers", "localhost:9092", "Kafka bootstrap servers"),
        OptionSpec.ofString("topic", "seqwatch-alerts", "topic to produce to"),
        OptionSpec.ofInt("delivery-timeout-ms", 120_000, "how long the producer keeps retrying one alert"),
        OptionSpec.ofString("hmac-key", "", "pseudonymise actor ids with HMAC-SHA256 under this key (empty: off)"),
        OptionSpec.ofPrefix("producer.", "any Kafka producer setting, passed to the client as written "
            + "(security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, compression.type, ...)"));
  }

  @Override
  public AlertSink create(Options o) {
    String topic = o.getString("topic");
    if (topic.isBlank()) {
      throw new ConfigurationException("kafka sink needs a topic");
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.getString("bootstrap-servers"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    int delivery = o.getInt("delivery-timeout-ms", 1_000, 3_600_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, delivery - 10));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "seqwatch-alerts");
    p.putAll(o.withPrefix("producer.")); // the user's settings win (serialisers are fixed: instances below)
    KafkaProducer<String, String> producer;
    try {
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigurationException("kafka sink: cannot create a producer for " + o.getString("bootstrap-servers")
          + ": " + e.getMessage() + (cause != e ? " (" + cause.getMessage() + ")" : ""), e);
    }
    AlertJson json = new AlertJson(o.getString("hmac-key"));
    AtomicLong failed = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    return new AlertSink() {
      private volatile boolean closed;

      @Override
      public java.util.Optional<io.seqwatch.spi.SinkStats> stats() {
        return java.util.Optional.of(new io.seqwatch.spi.SinkStats(acknowledged.get(), failed.get(), 0,
            Math.max(0, inFlight.get())));
      }

      @Override
      public void send(Alert a) {
        if (closed) {
          throw new IllegalStateException("kafka sink for topic " + topic + " is closed");
        }
        String value = json.line(a);
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, json.key(a.key()), value);
        // the idempotency key as a header, so consumers can drop an alert a resumed stream raised again
        record.headers().add("seqwatch-alert-id", AlertJson.idIn(value).getBytes(StandardCharsets.UTF_8));
        inFlight.incrementAndGet();
        producer.send(record, (meta, error) -> {
          inFlight.decrementAndGet();
          if (error == null) {
            acknowledged.incrementAndGet();
          } else {
            failed.incrementAndGet();
            LOG.error("kafka sink: an alert could not be produced to {} ({}); alert: {}", topic, error.toString(), value);
          }
        });
      }

      /** Waits until every alert sent so far is acknowledged by the brokers (acks=all). */
      @Override
      public void flush() {
        if (!closed) {
          producer.flush();
        }
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          producer.flush();
          producer.close(Duration.ofSeconds(30));
          if (failed.get() > 0) {
            LOG.error("kafka sink: {} alert(s) were not produced to {}; they are in the log above", failed.get(), topic);
          }
        }
      }
    };
  }
}
