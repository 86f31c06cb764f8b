package io.seqwatch.core.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Text files written whole or not at all: lines go to a temporary file beside the target, which
 * then replaces it in one atomic rename, so a crash never leaves a torn file.
 *
 * <p>Thread-safety: stateless.
 */
public final class TextFiles {
  private TextFiles() {}

  /** Writes {@code lines} (UTF-8, one per line) to {@code file}, atomically. */
  public static void writeAtomically(Path file, Iterable<String> lines) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (String l : lines) {
          w.write(l);
          w.newLine();
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
