package io.seqwatch.spi;

import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import java.io.IOException;
import java.util.List;

/**
 * A trained detector. Scores are finite and higher means more anomalous.
 *
 * <p>Thread-safety: implementations must be safe for concurrent {@link #score} and {@link #explain}.
 * Models that hold native memory release it in {@link #close()}, which is idempotent.
 */
public interface Model extends AutoCloseable {
  /** Detector name this model was trained by. */
  String detector();

  /** Representation it scores. */
  Representation input();

  /** Anomaly score of one observation; finite, higher is more anomalous. */
  double score(Observation observation);

  /** Scores many observations; engines override this to batch. */
  default double[] scoreAll(List<Observation> observations) {
    double[] out = new double[observations.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = score(observations.get(i));
    }
    return out;
  }

  /**
   * Why an observation scored as it did.
   *
   * @param maxItems the most contributions to return
   */
  Explanation explain(Observation observation, int maxItems);

  /** Where this model came from. */
  ModelProvenance provenance();

  /** Saves everything {@link DetectorProvider#load} needs. */
  void save(ArtifactWriter out) throws IOException;

  /** Releases native resources, if any. Idempotent; never throws. */
  @Override
  default void close() {}
}
