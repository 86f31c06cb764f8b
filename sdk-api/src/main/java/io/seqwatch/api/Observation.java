package io.seqwatch.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What a model scores: one sequence in the representation(s) the pipeline produced for it.
 *
 * @param key the sequence key
 * @param features named features, for vector detectors
 * @param encoded encoded sequence, for sequence detectors
 *     <p>Thread-safety: immutable.
 */
public record Observation(
    String key, Optional<FeatureVector> features, Optional<EncodedSequence> encoded) {
  public Observation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(encoded, "encoded");
  }

  /** An observation holding only features. */
  public static Observation of(FeatureVector v) {
    return new Observation(v.key(), Optional.of(v), Optional.empty());
  }

  /** An observation holding only an encoded sequence. */
  public static Observation of(EncodedSequence s) {
    return new Observation(s.key(), Optional.empty(), Optional.of(s));
  }

  /**
   * The features, or a clear error naming the missing representation.
   *
   * @throws ConfigurationException when the pipeline produced no features
   */
  public FeatureVector requireFeatures() {
    return features.orElseThrow(
        () ->
            new ConfigurationException(
                "observation '" + key + "' has no feature vector; this detector needs FEATURES"));
  }

  /**
   * The encoded sequence, or a clear error naming the missing representation.
   *
   * @throws ConfigurationException when the pipeline produced no encoded sequence
   */
  public EncodedSequence requireEncoded() {
    return encoded.orElseThrow(
        () ->
            new ConfigurationException(
                "observation '" + key + "' has no encoded sequence; this detector needs SEQUENCE"));
  }
}
