package io.seqwatch.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the files a component saved with {@link ArtifactWriter}. Checksums are verified before a
 * component sees the data.
 *
 * <p>Thread-safety: not thread-safe; a component loads from one thread.
 */
public interface ArtifactReader {
  /**
   * Opens a saved file.
   *
   * @throws io.seqwatch.api.ModelFormatException when the file is missing
   */
  InputStream open(String name) throws IOException;

  /** Whether a file of that name was saved. */
  boolean contains(String name);
}
