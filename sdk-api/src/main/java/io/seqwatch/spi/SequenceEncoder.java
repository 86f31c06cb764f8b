package io.seqwatch.spi;

import io.seqwatch.api.BehaviorSequence;
import java.util.List;

/**
 * An untrained sequence encoder: learns a vocabulary (and any other state) from training data.
 *
 * <p>Thread-safety: immutable configuration; {@link #fit} may be called from any thread.
 */
public interface SequenceEncoder {
  /** Fits the vocabulary on training sequences. */
  FittedSequenceEncoder fit(List<BehaviorSequence> training);
}
