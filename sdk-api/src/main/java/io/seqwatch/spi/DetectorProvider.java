package io.seqwatch.spi;

import java.io.IOException;

/**
 * Creates untrained detectors and restores trained models. Registered in {@code
 * META-INF/services/io.seqwatch.spi.DetectorProvider}.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public interface DetectorProvider extends Provider {
  /** Representation the detectors of this provider need. */
  Representation input();

  /** Creates an untrained detector with validated options. */
  Detector create(Options options);

  /**
   * Restores a model saved by {@link Model#save}.
   *
   * @throws io.seqwatch.api.ModelFormatException when the saved data is corrupt or incompatible
   */
  Model load(ArtifactReader in) throws IOException;
}
