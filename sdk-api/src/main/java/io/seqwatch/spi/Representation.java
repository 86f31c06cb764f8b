package io.seqwatch.spi;

/**
 * The input a detector needs.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum Representation {
  /** Named feature vectors from a {@link FeatureExtractor}. */
  FEATURES,
  /** Encoded sequences from a {@link FittedSequenceEncoder}. */
  SEQUENCE
}
