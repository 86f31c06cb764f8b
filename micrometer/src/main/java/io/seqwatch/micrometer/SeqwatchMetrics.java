package io.seqwatch.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqwatch.core.stream.StreamMetrics;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.SinkStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link StreamingScorer} (and the alert sinks it feeds) to a Micrometer registry. Every
 * meter reads the scorer's live counters ({@link StreamingScorer#metrics()}, O(1) each), so a
 * registry polling every few seconds costs nothing per event.
 *
 * <pre>{@code
 * new SeqwatchMetrics(scorer).sink("webhook", webhook).tags(Tags.of("shop", "eu")).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (every one tagged {@code detector} and the tags given):
 *
 * <ul>
 *   <li>counters {@code seqwatch.stream.events} (offered), {@code .scored}, {@code .late}, {@code
 *       .duplicates}, {@code .future} (beyond the future horizon), {@code .evicted} (sequences),
 *       {@code seqwatch.stream.alerts};
 *   <li>gauges {@code seqwatch.stream.sequences} (held now), {@code seqwatch.stream.buffered}
 *       (events in lateness buffers now), time gauge {@code seqwatch.stream.event.lag} (the scorer's
 *       clock minus the newest event time);
 *   <li>function timer {@code seqwatch.stream.accept}: events through {@code accept} / {@code
 *       acceptAll} and the time spent (mean latency per event);
 *   <li>per sink (tag {@code sink}): counters {@code seqwatch.sink.delivered}, {@code .failed},
 *       {@code .spilled}, gauge {@code seqwatch.sink.queued}, for sinks that report {@link
 *       AlertSink#stats()}.
 * </ul>
 *
 * <p>Meters hold the scorer and sinks weakly, as Micrometer does: they report NaN once the scorer
 * is gone. Thread-safety: configure from one thread, then {@link #bindTo} (idempotent per registry).
 */
public final class SeqwatchMetrics implements MeterBinder {
  private final StreamingScorer scorer;
  private final Map<String, AlertSink> sinks = new LinkedHashMap<>();
  private Tags tags = Tags.empty();

  /** Metrics of {@code scorer}. */
  public SeqwatchMetrics(StreamingScorer scorer) {
    this.scorer = Objects.requireNonNull(scorer, "scorer");
  }

  /** Adds a sink's delivery meters under tag {@code sink=name}; a sink without stats adds none. */
  public SeqwatchMetrics sink(String name, AlertSink sink) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sink, "sink");
    if (sinks.putIfAbsent(name, sink) != null) {
      throw new IllegalArgumentException("a sink named '" + name + "' is already bound");
    }
    return this;
  }

  /** Tags added to every meter (an application or shop name, say). */
  public SeqwatchMetrics tags(Iterable<Tag> extra) {
    this.tags = this.tags.and(extra);
    return this;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    StreamMetrics m = scorer.metrics();
    Tags t = tags.and("detector", m.detector());
    counter(registry, "seqwatch.stream.events", "events offered to the scorer", m, StreamMetrics::events, t);
    counter(registry, "seqwatch.stream.scored", "events scored", m, StreamMetrics::scored, t);
    counter(registry, "seqwatch.stream.late", "events older than their sequence's processed events", m,
        StreamMetrics::late, t);
    counter(registry, "seqwatch.stream.duplicates", "exact duplicate events dropped", m, StreamMetrics::duplicates, t);
    counter(registry, "seqwatch.stream.future", "events stamped beyond the future horizon", m, StreamMetrics::future, t);
    counter(registry, "seqwatch.stream.evicted", "sequences evicted (over the bound or idle)", m,
        StreamMetrics::evicted, t);
    counter(registry, "seqwatch.stream.alerts", "alerts raised, one per anomalous episode", m, StreamMetrics::alerts, t);
    gauge(registry, "seqwatch.stream.sequences", "sequences held now", m, x -> x.sequences(), t);
    gauge(registry, "seqwatch.stream.buffered", "events in lateness buffers now", m, x -> x.buffered(), t);
    TimeGauge.builder("seqwatch.stream.event.lag", m, TimeUnit.MILLISECONDS, x -> x.eventTimeLagMillis())
        .description("the scorer's clock minus the newest event time accepted").tags(t).register(registry);
    FunctionTimer.builder("seqwatch.stream.accept", m, StreamMetrics::accepted, x -> x.acceptTime(TimeUnit.NANOSECONDS),
        TimeUnit.NANOSECONDS).description("events through accept / acceptAll and the time they took").tags(t)
        .register(registry);
    sinks.forEach((name, sink) -> {
      if (sink.stats().isEmpty()) {
        return;
      }
      Tags st = t.and("sink", name);
      counter(registry, "seqwatch.sink.delivered", "alerts delivered", sink, s -> stat(s).delivered(), st);
      counter(registry, "seqwatch.sink.failed", "deliveries that failed for good", sink, s -> stat(s).failed(), st);
      counter(registry, "seqwatch.sink.spilled", "alerts kept aside for a later run", sink, s -> stat(s).spilled(), st);
      gauge(registry, "seqwatch.sink.queued", "alerts waiting in memory for delivery", sink, s -> stat(s).queued(), st);
    });
  }

  private static SinkStats stat(AlertSink s) {
    return s.stats().orElse(new SinkStats(0, 0, 0, 0));
  }

  private static <T> void counter(MeterRegistry r, String name, String description, T obj, ToLongFunction<T> f,
      Tags tags) {
    FunctionCounter.builder(name, obj, x -> f.applyAsLong(x)).description(description).tags(tags).register(r);
  }

  private static <T> void gauge(MeterRegistry r, String name, String description, T obj, ToDoubleFunction<T> f,
      Tags tags) {
    Gauge.builder(name, obj, f).description(description).tags(tags).register(r);
  }
}
