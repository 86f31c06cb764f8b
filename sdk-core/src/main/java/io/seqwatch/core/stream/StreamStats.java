package io.seqwatch.core.stream;

/**
 * What a {@link StreamingScorer} has done and holds.
 *
 * @param events events offered
 * @param scored events scored (offered minus late, duplicates and still buffered)
 * @param late events older than their sequence's processed events (handed to the late listener)
 * @param duplicates exact duplicates dropped
 * @param future events stamped beyond the scorer's future horizon (refused, handed to the late listener)
 * @param buffered events waiting in lateness buffers now (zero after {@link StreamingScorer#flush()}
 *     on a quiet stream); {@code events = scored + late + duplicates + future + buffered} at every
 *     quiet moment
 * @param trimmed events dropped from the front of kept-event sequences longer than the scorer's
 *     {@code maxEventsPerSequence} (they were scored when they came)
 * @param alerts alerts raised (one per anomalous episode)
 * @param sequences sequences held now
 * @param evicted sequences evicted (over the bound or idle)
 * @param bytesPerSequence estimated heap bytes per held sequence
 *     <p>Thread-safety: immutable.
 */
public record StreamStats(long events, long scored, long late, long duplicates, long future, long buffered,
    long trimmed, long alerts, int sequences, long evicted, long bytesPerSequence) {}
