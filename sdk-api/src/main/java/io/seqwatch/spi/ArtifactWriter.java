package io.seqwatch.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a component writes its saved files inside a bundle. The bundle records a SHA-256 of every
 * file and verifies it on load, so components need not checksum themselves.
 *
 * <p>Thread-safety: not thread-safe; a component saves from one thread.
 */
public interface ArtifactWriter {
  /**
   * Creates a file in the component's folder.
   *
   * @param name file name: lower-case letters, digits, dot, dash and underscore only
   * @return a stream the caller closes
   */
  OutputStream create(String name) throws IOException;
}
