package io.seqwatch.spi;

import java.io.IOException;

/**
 * Creates and loads {@link SequenceEncoder}s. Registered in {@code
 * META-INF/services/io.seqwatch.spi.SequenceEncoderProvider}.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public interface SequenceEncoderProvider extends Provider {
  /** Creates an untrained encoder with validated options. */
  SequenceEncoder create(Options options);

  /** Restores what {@link FittedSequenceEncoder#save} wrote. */
  FittedSequenceEncoder load(ArtifactReader in) throws IOException;
}
