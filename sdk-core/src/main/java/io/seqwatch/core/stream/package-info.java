/**
 * Real-time scoring: {@link io.seqwatch.core.stream.StreamingScorer} consumes events one at a time,
 * keeps a bounded per-actor state (running behaviour features, or the carried state of an
 * incremental sequence model), re-scores in O(1) per event and raises one alert per anomalous
 * episode; its state snapshots to disk and restores to identical subsequent scores.
 */
package io.seqwatch.core.stream;
