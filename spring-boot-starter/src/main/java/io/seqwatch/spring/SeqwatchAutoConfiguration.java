package io.seqwatch.spring;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.sink.FanOutSink;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.micrometer.SeqwatchMetrics;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Spring Boot auto-configuration, active when {@code seqwatch.model} is set: the bundle
 * ({@link FittedPipeline}), the alert sink (JSON lines file and/or a named sink, fanned out), a
 * {@link StreamingScorer} restored from {@code seqwatch.snapshot} when present and snapshotted there
 * at shutdown, a health indicator and Micrometer meters when actuator and Micrometer are on the
 * class path. Every bean steps aside for one the application defines itself.
 *
 * <p>Thread-safety: Spring creates the beans once; the scorer and sinks are thread-safe.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "seqwatch", name = "model")
@EnableConfigurationProperties(SeqwatchProperties.class)
public class SeqwatchAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(SeqwatchAutoConfiguration.class);

  /** The trained bundle, from a folder, a zip, {@code classpath:} or a URL. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public FittedPipeline seqwatchPipeline(SeqwatchProperties props, ResourceLoader resources) throws IOException {
    String location = props.getModel();
    Path direct = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    if (!location.contains(":") || location.startsWith("file:")) {
      if (!Files.exists(direct)) {
        throw new ConfigurationException("seqwatch.model=" + location + " does not exist; give a bundle folder, a "
            + ".zip, classpath:... or a URL");
      }
      return FittedPipeline.load(direct);
    }
    Resource r = resources.getResource(location);
    if (!r.exists()) {
      throw new ConfigurationException("seqwatch.model=" + location + " was not found; a class-path or URL bundle is "
          + "a .zip (seqwatch train --model shop.zip)");
    }
    try (InputStream in = r.getInputStream()) {
      return FittedPipeline.load(in);
    }
  }

  /** The alerts' destinations: {@code seqwatch.alerts} (JSON lines) and {@code seqwatch.sink}, else a log sink. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AlertSink seqwatchAlertSink(SeqwatchProperties props) {
    Registries registries = Registries.discover();
    List<AlertSink> sinks = new ArrayList<>();
    if (!props.getAlerts().isBlank()) {
      sinks.add(create(registries, "jsonl", Map.of("path", props.getAlerts())));
    }
    if (!props.getSink().isBlank()) {
      sinks.add(create(registries, props.getSink(), props.getSinkOptions()));
    }
    if (sinks.isEmpty()) {
      sinks.add(create(registries, "log", Map.of()));
    }
    return FanOutSink.of(sinks);
  }

  private static AlertSink create(Registries registries, String name, Map<String, String> options) {
    AlertSinkProvider p = registries.sinks().find(name);
    return p.create(Options.of(p.options(), new LinkedHashMap<>(options)));
  }

  /** The scorer, restored from the snapshot when one exists. */
  @Bean
  @ConditionalOnMissingBean
  public StreamingScorer seqwatchScorer(FittedPipeline pipeline, AlertSink sink, SeqwatchProperties props) {
    StreamingScorer scorer = StreamingScorer.builder(pipeline).maxActors(props.getMaxActors())
        .idleTtl(props.getIdleTtl()).lateness(props.getLateness()).sink(sink).build();
    if (!props.getSnapshot().isBlank() && Files.isRegularFile(Path.of(props.getSnapshot()))) {
      try {
        scorer.restore(Path.of(props.getSnapshot()));
        LOG.info("seqwatch: restored {} held sequences from {}", scorer.stats().sequences(), props.getSnapshot());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read seqwatch.snapshot " + props.getSnapshot(), e);
      }
    }
    return scorer;
  }

  /** Snapshots the scorer at shutdown (when {@code seqwatch.snapshot} is set), then closes it. */
  @Bean
  public DisposableBean seqwatchShutdown(StreamingScorer scorer, SeqwatchProperties props) {
    return () -> {
      try {
        if (!props.getSnapshot().isBlank()) {
          Path file = Path.of(props.getSnapshot());
          Path parent = file.toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
          scorer.snapshot(file);
          LOG.info("seqwatch: snapshot of {} held sequences written to {}", scorer.stats().sequences(), file);
        }
      } finally {
        scorer.close();
      }
    };
  }

  /** Micrometer meters of the scorer and its sink, bound by Spring Boot to the application's registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    SeqwatchMetrics seqwatchMetrics(StreamingScorer scorer, AlertSink sink) {
      return new SeqwatchMetrics(scorer).sink("alerts", sink);
    }
  }

  /** {@code /actuator/health/seqwatch}: the bundle's detector, held sequences, and the sink's backlog. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "seqwatchHealthIndicator")
    HealthIndicator seqwatchHealthIndicator(StreamingScorer scorer, AlertSink sink, FittedPipeline pipeline) {
      return () -> {
        var m = scorer.metrics();
        Health.Builder b = Health.up().withDetail("detector", pipeline.provenance().detector())
            .withDetail("threshold", pipeline.threshold().value()).withDetail("sequences", m.sequences())
            .withDetail("events", m.events()).withDetail("alerts", m.alerts());
        sink.stats().ifPresent(s -> {
          b.withDetail("sink.delivered", s.delivered()).withDetail("sink.failed", s.failed())
              .withDetail("sink.spilled", s.spilled()).withDetail("sink.queued", s.queued());
          if (s.failed() > 0 && s.delivered() == 0) {
            b.down(); // nothing delivered and failures: the platform gets no alerts
          }
        });
        return b.build();
      };
    }
  }
}
