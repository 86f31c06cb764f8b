package io.seqwatch.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.micrometer.SeqwatchMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application with the starter on its class path and {@code seqwatch.*} properties:
 * the bundle from the class path, alerts to a JSON lines file, health, metrics, and a snapshot at
 * shutdown that the next start restores.
 */
class SeqwatchStarterTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  private static final SimulatedData DATA = Simulator.builder().users(300).anomalyRate(0.1).seed(4).build().generate();

  @TempDir static Path tmp;

  /** The bundle, written where the test class path can serve it as {@code classpath:seqwatch-starter-test.zip}. */
  @BeforeAll
  static void trainABundleOntoTheClassPath() throws Exception {
    Path classes = Path.of(SeqwatchStarterTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").threshold("quantile:0.9").build()
        .fitEvents(DATA.events())) {
      p.save(classes.resolve("seqwatch-starter-test.zip"));
    }
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run();
  }

  @Test
  void theStarterScoresWithTheBundleReportsHealthAndMetricsAndResumesFromItsShutdownSnapshot() throws Exception {
    Path alerts = tmp.resolve("alerts.jsonl");
    Path snapshot = tmp.resolve("state/stream.snapshot");
    String[] props = {"seqwatch.model=classpath:seqwatch-starter-test.zip", "seqwatch.alerts=" + alerts,
        "seqwatch.snapshot=" + snapshot, "seqwatch.max-actors=10000", "seqwatch.idle-ttl=48h"};
    List<BehaviorEvent> events = DATA.events();
    int held;
    try (ConfigurableApplicationContext ctx = start(props)) {
      StreamingScorer scorer = ctx.getBean(StreamingScorer.class);
      events.subList(0, events.size() / 2).forEach(scorer::accept);
      held = scorer.stats().sequences();
      assertTrue(held > 100, held + " sequences");
      scorer.flush();
      ctx.getBean(io.seqwatch.spi.AlertSink.class).flush();
      assertTrue(scorer.stats().alerts() > 0 && Files.readAllLines(alerts).size() == scorer.stats().alerts(),
          scorer.stats().toString());
      var health = ctx.getBean("seqwatchHealthIndicator", HealthIndicator.class).health();
      assertEquals(Status.UP, health.getStatus());
      assertEquals("isolation-forest", health.getDetails().get("detector"));
      assertEquals((long) scorer.stats().alerts(), health.getDetails().get("sink.delivered"));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ctx.getBean(SeqwatchMetrics.class).bindTo(registry);
      assertEquals(events.size() / 2, registry.get("seqwatch.stream.events").functionCounter().count());
    }
    assertTrue(Files.isRegularFile(snapshot), "the shutdown wrote the snapshot");
    try (ConfigurableApplicationContext again = start(props)) {
      assertEquals(held, again.getBean(StreamingScorer.class).stats().sequences(), "the next start restored it");
    }
  }

  @Test
  void withoutAModelTheStarterStaysOut() {
    try (ConfigurableApplicationContext ctx = start()) {
      assertFalse(ctx.containsBean("seqwatchScorer"));
      assertTrue(ctx.getBeansOfType(StreamingScorer.class).isEmpty());
    }
  }
}
