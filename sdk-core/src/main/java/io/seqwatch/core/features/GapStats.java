package io.seqwatch.core.features;

/**
 * The time gaps between a sequence's events as the behaviour features read them: their mean and sum
 * of squared deviations in seconds (Welford's update, so that a long sequence loses no precision)
 * and how many are fast (at most {@link BehaviorAccumulator#FAST_GAP_MS}). The one update that the
 * accumulator (event by event, kept in streaming snapshots) and the column reading of a table
 * ({@link BehaviorFeatureExtractor#extract(io.seqwatch.core.prep.TableSequences, int)}) both use, so
 * that the two give the same bits.
 *
 * <p>Thread-safety: not thread-safe; one per sequence.
 */
final class GapStats {
  double mean;
  double m2;
  int fast;

  /** Adds a gap of {@code millis}, the {@code count}-th gap of the sequence (1 for the first). */
  void add(long millis, int count) {
    double g = millis / 1000.0;
    double d = g - mean;
    mean += d / count;
    m2 += d * (g - mean);
    if (millis <= BehaviorAccumulator.FAST_GAP_MS) {
      fast++;
    }
  }
}
