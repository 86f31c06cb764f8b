package io.seqwatch.spi;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import java.io.IOException;
import java.util.List;

/**
 * A fitted encoder: maps sequences to integer ids with a fixed vocabulary.
 *
 * <p>Id 0 is padding, id 1 is the unknown token, the vocabulary starts at 2. Thread-safety: immutable,
 * safe for concurrent {@link #encode}.
 */
public interface FittedSequenceEncoder {
  /** Encodes one sequence; actions outside the vocabulary get {@link #unknownId()}. */
  EncodedSequence encode(BehaviorSequence sequence);

  /** Number of ids including padding and unknown. */
  int vocabularySize();

  /** Id used to pad short windows. */
  int paddingId();

  /** Id of actions not seen in training. */
  int unknownId();

  /** Number of time-gap buckets ({@link io.seqwatch.api.EncodedSequence#gapBuckets()} range). */
  int gapBucketCount();

  /** Number of hashed category buckets. */
  int categoryBucketCount();

  /**
   * What the attributes of encoded sequences hold ({@link io.seqwatch.api.EncodedAttributes.Layout#NONE}
   * for encoders that keep none, the default).
   */
  default io.seqwatch.api.EncodedAttributes.Layout attributeLayout() {
    return io.seqwatch.api.EncodedAttributes.Layout.NONE;
  }

  /** Token text by id (index = id); padding and unknown have reserved names. */
  List<String> vocabulary();

  /** Saves the fitted state. */
  void save(ArtifactWriter out) throws IOException;
}
