package io.seqwatch.spi;

import io.seqwatch.api.Observation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a detector trains on.
 *
 * @param observations training sequences in the representation the detector declared
 * @param labels one label per observation (true = anomalous) for supervised detectors
 * @param vocabulary token text by id when observations are encoded sequences (index = id), so
 *     sequence models can name actions in explanations
 * @param seed random seed; equal seeds give equal models
 * @param listener progress receiver
 * @param purpose what the fitted model is for: the model a pipeline keeps, or one fitted only to
 *     score held-out training sequences for threshold calibration
 *     <p>Thread-safety: immutable.
 */
public record TrainingSet(
    List<Observation> observations,
    Optional<List<Boolean>> labels,
    List<String> vocabulary,
    long seed,
    TrainingListener listener,
    Purpose purpose) {
  /** What a fit is for. */
  public enum Purpose {
    /** The model the caller keeps. */
    MODEL,
    /**
     * A model fitted on part of the training data only to score the rest for threshold calibration,
     * closed right after: a detector should skip side effects meant for the kept model (such as
     * writing or resuming checkpoints).
     */
    HELD_OUT
  }

  public TrainingSet {
    observations = List.copyOf(observations);
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(purpose, "purpose");
    labels = labels.map(List::copyOf);
    vocabulary = List.copyOf(vocabulary);
    if (labels.isPresent() && labels.get().size() != observations.size()) {
      throw new IllegalArgumentException(
          labels.get().size() + " labels for " + observations.size() + " observations");
    }
  }

  /** A training set for the model the caller keeps ({@link Purpose#MODEL}). */
  public TrainingSet(List<Observation> observations, Optional<List<Boolean>> labels, List<String> vocabulary, long seed,
      TrainingListener listener) {
    this(observations, labels, vocabulary, seed, listener, Purpose.MODEL);
  }

  /** An unlabelled training set. */
  public static TrainingSet of(List<Observation> observations, long seed) {
    return new TrainingSet(observations, Optional.empty(), List.of(), seed, TrainingListener.NONE);
  }

  /** Text of token {@code id}, or the id itself when no vocabulary is known. */
  public String token(int id) {
    return id >= 0 && id < vocabulary.size() ? vocabulary.get(id) : Integer.toString(id);
  }

  /** Number of observations. */
  public int size() {
    return observations.size();
  }
}
