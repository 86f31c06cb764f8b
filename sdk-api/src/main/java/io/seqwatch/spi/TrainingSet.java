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
 * @param seed random seed; equal seeds give equal models
 * @param listener progress receiver
 *     <p>Thread-safety: immutable.
 */
public record TrainingSet(
    List<Observation> observations,
    Optional<List<Boolean>> labels,
    long seed,
    TrainingListener listener) {
  public TrainingSet {
    observations = List.copyOf(observations);
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(listener, "listener");
    labels = labels.map(List::copyOf);
    if (labels.isPresent() && labels.get().size() != observations.size()) {
      throw new IllegalArgumentException(
          labels.get().size() + " labels for " + observations.size() + " observations");
    }
  }

  /** An unlabelled training set. */
  public static TrainingSet of(List<Observation> observations, long seed) {
    return new TrainingSet(observations, Optional.empty(), seed, TrainingListener.NONE);
  }

  /** Number of observations. */
  public int size() {
    return observations.size();
  }
}
