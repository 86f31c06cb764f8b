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

  /**
   * The options a {@linkplain FeatureExtractorProvider#fit fit} decided from the training data
   * (e.g. which event attributes to use), as the provider's option strings. The pipeline saves them
   * over the options it was given, so {@link FeatureExtractorProvider#create} recreates this
   * extractor exactly when a bundle loads. Empty by default: nothing was decided.
   */
  default java.util.Map<String, String> fittedOptions() {
    return java.util.Map.of();
  }

  /**
   * Saves what a fit learned beyond its options (e.g. counts over the training data), for {@link
   * FeatureExtractorProvider#load}. Nothing by default.
   */
  default void save(ArtifactWriter out) throws java.io.IOException {}

  /**
   * A reason that the features of {@code v} imply together, beyond any one of them (e.g. what is new
   * about the sequence for its actor), added to the reasons of anomalous sequences. None by default.
   */
  default java.util.Optional<io.seqwatch.api.Contribution> context(FeatureVector v) {
    return java.util.Optional.empty();
  }
}
