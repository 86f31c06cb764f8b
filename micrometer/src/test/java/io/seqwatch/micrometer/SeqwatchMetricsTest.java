package io.seqwatch.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.core.stream.StreamStats;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.plugin.sinks.JsonlAlertSinkProvider;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqwatchMetricsTest {
  @TempDir Path tmp;

  @Test
  void everyMeterReadsWhatTheScorerAndTheSinkDid() throws Exception {
    SimulatedData data = Simulator.builder().users(300).anomalyRate(0.1).seed(5).build().generate();
    List<BehaviorEvent> events = data.events();
    Path alerts = tmp.resolve("alerts.jsonl");
    JsonlAlertSinkProvider provider = new JsonlAlertSinkProvider();
    try (FittedPipeline p = Pipeline.builder().detector("zscore").threshold("quantile:0.9").seed(3).build()
            .fitEvents(events);
        AlertSink jsonl = provider.create(Options.of(provider.options(), Map.of("path", alerts.toString())));
        StreamingScorer scorer = StreamingScorer.builder(p).sink(jsonl).lateness(Duration.ofMinutes(1)).build()) {
      MeterRegistry registry = new SimpleMeterRegistry();
      new SeqwatchMetrics(scorer).sink("jsonl", jsonl).sink("lambda", a -> { }).tags(Tags.of("shop", "test"))
          .bindTo(registry);
      scorer.acceptAll(events.subList(0, 1_000));
      for (BehaviorEvent e : events.subList(1_000, events.size())) {
        scorer.accept(e);
      }
      scorer.accept(events.get(events.size() - 1)); // an exact duplicate
      scorer.accept(events.get(0)); // far older than its sequence: late
      scorer.flush();
      jsonl.flush();
      StreamStats s = scorer.stats();
      assertTrue(s.alerts() > 5 && s.duplicates() >= 1 && s.late() >= 1, s.toString());
      Tags t = Tags.of("detector", "zscore", "shop", "test");
      assertEquals(s.events(), counter(registry, "seqwatch.stream.events", t));
      assertEquals(events.size() + 2, s.events());
      assertEquals(s.scored(), counter(registry, "seqwatch.stream.scored", t));
      assertEquals(s.late(), counter(registry, "seqwatch.stream.late", t));
      assertEquals(s.duplicates(), counter(registry, "seqwatch.stream.duplicates", t));
      assertEquals(s.future(), counter(registry, "seqwatch.stream.future", t));
      assertEquals(s.evicted(), counter(registry, "seqwatch.stream.evicted", t));
      assertEquals(s.alerts(), counter(registry, "seqwatch.stream.alerts", t));
      assertEquals(s.sequences(), registry.get("seqwatch.stream.sequences").tags(t).gauge().value());
      assertEquals(0, registry.get("seqwatch.stream.buffered").tags(t).gauge().value());
      FunctionTimer accept = registry.get("seqwatch.stream.accept").tags(t).functionTimer();
      assertEquals(events.size() + 2, accept.count());
      assertTrue(accept.totalTime(TimeUnit.NANOSECONDS) > 0);
      // the simulated day is in the past: event time trails the clock by years
      assertTrue(registry.get("seqwatch.stream.event.lag").tags(t).timeGauge().value(TimeUnit.DAYS) > 300);
      Tags sink = t.and("sink", "jsonl");
      assertEquals(s.alerts(), counter(registry, "seqwatch.sink.delivered", sink));
      assertEquals(Files.readAllLines(alerts).size(), (long) counter(registry, "seqwatch.sink.delivered", sink));
      assertEquals(0, counter(registry, "seqwatch.sink.failed", sink));
      assertEquals(0, registry.get("seqwatch.sink.queued").tags(sink).gauge().value());
      // a sink without stats adds no meters
      assertTrue(registry.find("seqwatch.sink.delivered").tag("sink", "lambda").meters().isEmpty());
    }
  }

  @Test
  void aSinkNameIsBoundOnce() throws Exception {
    SimulatedData data = Simulator.builder().users(50).seed(1).build().generate();
    try (FittedPipeline p = Pipeline.builder().detector("zscore").build().fitEvents(data.events());
        StreamingScorer scorer = StreamingScorer.builder(p).build()) {
      SeqwatchMetrics m = new SeqwatchMetrics(scorer).sink("a", x -> { });
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.sink("a", x -> { }));
      assertTrue(e.getMessage().contains("'a' is already bound"), e.getMessage());
    }
  }

  private static double counter(MeterRegistry r, String name, Tags tags) {
    return r.get(name).tags(tags).functionCounter().count();
  }
}
