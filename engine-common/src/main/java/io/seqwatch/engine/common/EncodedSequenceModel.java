package io.seqwatch.engine.common;

import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Representation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every neural model over encoded sequences shares, on any engine: its provenance and token
 * vocabulary, single scores as one-element batches, and an idempotent {@link #close()} that
 * releases the engine's resources once. For engine modules; not a user API.
 *
 * <p>Thread-safety: as the subclass; {@link #close()} is idempotent and must not race with scoring.
 */
public abstract class EncodedSequenceModel implements Model {
  private final ModelProvenance provenance;
  private final List<String> tokens;
  private final AtomicBoolean closed = new AtomicBoolean();

  protected EncodedSequenceModel(ModelProvenance provenance, List<String> tokens) {
    this.provenance = provenance;
    this.tokens = List.copyOf(tokens);
  }

  /** The vocabulary, by token id. */
  public List<String> tokens() {
    return tokens;
  }

  /** A token id as text: its vocabulary entry, or {@code #id} beyond the vocabulary. */
  protected String tokenText(int id) {
    return id >= 0 && id < tokens.size() ? tokens.get(id) : "#" + id;
  }

  /** @throws IllegalStateException after {@link #close()} */
  protected final void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(provenance.detector() + " model is closed");
    }
  }

  /** Releases the engine's resources; called once by {@link #close()}. */
  protected abstract void release();

  @Override
  public String detector() {
    return provenance.detector();
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public double score(Observation o) {
    return scoreAll(List.of(o))[0];
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }
}
