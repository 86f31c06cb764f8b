package io.seqwatch.spi;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;

/**
 * Turns a behaviour sequence into named numeric features for vector detectors.
 *
 * <p>Thread-safety: implementations must be safe for concurrent {@link #extract} calls.
 */
public interface FeatureExtractor {
  /** Names of the features produced, in order. */
  FeatureSchema schema();

  /** Features of one sequence; every value finite. */
  FeatureVector extract(BehaviorSequence sequence);
}
