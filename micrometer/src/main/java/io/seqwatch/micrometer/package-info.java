/**
 * Micrometer metrics for Seqwatch: {@link io.seqwatch.micrometer.SeqwatchMetrics} binds a streaming
 * scorer and its alert sinks to any {@code MeterRegistry} (Prometheus, OTLP, Datadog, ...).
 */
package io.seqwatch.micrometer;
