package io.seqwatch.spi;

import io.seqwatch.api.EncodedSequence;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * A sequence {@link Model} that scores a growing sequence one event at a time, carrying a small
 * state forward instead of re-reading the sequence: the streaming scorer keeps one {@link State}
 * per actor. After the same events, {@link State#add} returns exactly what {@link Model#score}
 * returns for the whole sequence so far.
 *
 * <pre>{@code
 * IncrementalModel.State s = ((IncrementalModel) model).start();
 * for (int i = 0; i < seq.length(); i++) {
 *   score = s.add(seq, i);
 * }
 * }</pre>
 *
 * <p>Thread-safety: the model is safe to share; each state is used by one thread at a time.
 */
public interface IncrementalModel {
  /** A state for a new, empty sequence. */
  State start();

  /**
   * One event for {@link #addAll}: the state it extends and event {@code index} of an encoded
   * sequence (its token, gap bucket, category, price and attributes).
   *
   * <p>Thread-safety: immutable record over a mutable state.
   */
  record Step(State state, EncodedSequence sequence, int index) {
    public Step {
      java.util.Objects.requireNonNull(state, "state");
      java.util.Objects.checkIndex(index, sequence.length());
    }
  }

  /**
   * Adds one event to each of several states and returns each one's score, exactly what {@link
   * State#add} returns for it. Engines fill one forward pass with many events; the default adds them
   * one by one. Each state appears at most once (one event per sequence per call); engines may
   * refuse a state given twice with an {@link IllegalArgumentException}.
   */
  default double[] addAll(List<Step> steps) {
    double[] out = new double[steps.size()];
    for (int i = 0; i < out.length; i++) {
      Step s = steps.get(i);
      out[i] = s.state().add(s.sequence(), s.index());
    }
    return out;
  }

  /**
   * Reads a state written by {@link State#write}.
   *
   * @throws io.seqwatch.api.ModelFormatException when the data does not fit this model
   */
  State readState(DataInput in) throws IOException;

  /** The running state of one sequence. Not thread-safe. */
  interface State {
    /**
     * Adds the next event: event {@code i} of {@code sequence} (only that event is read; the
     * sequence may hold just it, or it and the events before it).
     *
     * @return the score of the sequence so far
     */
    double add(EncodedSequence sequence, int i);

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
