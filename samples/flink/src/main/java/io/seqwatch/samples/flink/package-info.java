/**
 * Streaming scoring inside Apache Flink: {@link io.seqwatch.samples.flink.SeqwatchFlinkJob} reads
 * event lines, keys them by the pipeline's sequence key, and runs Seqwatch's per-sequence streaming
 * logic ({@link io.seqwatch.core.stream.KeyedScorer}) in a {@code KeyedProcessFunction} whose state is
 * Flink keyed state, so checkpoints and rescaling carry it.
 */
package io.seqwatch.samples.flink;
