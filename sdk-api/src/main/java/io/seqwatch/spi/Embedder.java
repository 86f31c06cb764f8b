package io.seqwatch.spi;

import io.seqwatch.api.Observation;
import java.util.List;

/**
 * A trained {@link Model} that also gives each sequence a fixed-size embedding (a pretrained
 * encoder's pooled states, say), for clustering, neighbour search or a detector of one's own
 * downstream. Sequences that behave alike lie close together.
 *
 * <pre>{@code
 * if (fitted.model() instanceof Embedder e) {
 *   List<float[]> vectors = e.embed(observations);   // each e.embeddingSize() long
 * }
 * }</pre>
 *
 * <p>Thread-safety: as the model's {@link Model#score}: safe for concurrent calls.
 */
public interface Embedder {
  /** The length of every embedding. */
  int embeddingSize();

  /** One embedding per observation, in order. */
  List<float[]> embed(List<Observation> observations);
}
