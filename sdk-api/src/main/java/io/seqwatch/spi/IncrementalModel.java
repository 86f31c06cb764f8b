package io.seqwatch.spi;

import io.seqwatch.api.EncodedSequence;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A sequence {@link Model} that scores a growing sequence one event at a time, carrying a small
 * state forward instead of re-reading the sequence: the streaming scorer keeps one {@link State}
 * per actor. After the same events, {@link State#add} returns exactly what {@link Model#score}
 * returns for the whole sequence so far.
 *
 * <pre>{@code
 * IncrementalModel.State s = ((IncrementalModel) model).start();
 * for (int i = 0; i < seq.length(); i++) {
 *   score = s.add(seq.token(i), seq.gapBuckets()[i], seq.categoryIds()[i], seq.prices()[i]);
 * }
 * }</pre>
 *
 * <p>Thread-safety: the model is safe to share; each state is used by one thread at a time.
 */
public interface IncrementalModel {
  /** A state for a new, empty sequence. */
  State start();

  /**
   * Reads a state written by {@link State#write}.
   *
   * @throws io.seqwatch.api.ModelFormatException when the data does not fit this model
   */
  State readState(DataInput in) throws IOException;

  /** The running state of one sequence. Not thread-safe. */
  interface State {
    /**
     * Adds the next encoded event.
     *
     * @return the score of the sequence so far
     */
    double add(int token, int gapBucket, int category, double price);

    /** Events so far. */
    int size();

    /** The most recent events this state keeps, for explanations. */
    EncodedSequence recent(String key);

    /** Writes the state for a snapshot. */
    void write(DataOutput out) throws IOException;

    /** Rough heap bytes held. */
    long memoryBytes();
  }
}
