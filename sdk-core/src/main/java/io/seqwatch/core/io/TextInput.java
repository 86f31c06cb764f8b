package io.seqwatch.core.io;

import io.seqwatch.api.DataFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a text input as UTF-8 that never stops on a bad byte: an undecodable byte sequence becomes
 * U+FFFD, and the line readers reject a line holding one with its line number ({@link
 * #UNDECODABLE}) and read on. A file that starts with a UTF-16 or UTF-32 byte-order mark is
 * refused with what to do.
 *
 * <p>Thread-safety: stateless.
 */
public final class TextInput {
  private TextInput() {}

  /** The character an undecodable byte sequence becomes. */
  public static final char UNDECODABLE = '\uFFFD';

  /**
   * A reader of {@code file} as UTF-8 with replacement.
   *
   * @throws DataFormatException when the file is UTF-16 or UTF-32 (by its byte-order mark)
   */
  public static BufferedReader open(Path file) throws IOException {
    return open(file, n -> {});
  }

  /**
   * A reader of {@code file} as UTF-8 with replacement that tells {@code bytesRead} how many bytes
   * of the file it has read so far, after each block (for progress bars).
   *
   * @throws DataFormatException when the file is UTF-16 or UTF-32 (by its byte-order mark)
   */
  public static BufferedReader open(Path file, java.util.function.LongConsumer bytesRead) throws IOException {
    return reader(openBytes(file, bytesRead));
  }

  /**
   * The bytes of {@code file}, buffered, telling {@code bytesRead} how many it has read so far after
   * each block (for progress bars): what {@link EventReader#read(InputStream, java.util.function.Consumer,
   * java.util.function.Consumer)} reads fastest.
   *
   * @throws DataFormatException when the file is UTF-16 or UTF-32 (by its byte-order mark)
   */
  public static InputStream openBytes(Path file, java.util.function.LongConsumer bytesRead) throws IOException {
    java.util.Objects.requireNonNull(bytesRead, "bytesRead");
    // a named pipe or device through FileInputStream: a channel's available() seeks, which a pipe refuses
    InputStream raw = Files.isRegularFile(file) ? Files.newInputStream(file) : new java.io.FileInputStream(file.toFile());
    InputStream in = new BufferedInputStream(new java.io.FilterInputStream(raw) {
      private long total;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytesRead.accept(++total);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          total += n;
          bytesRead.accept(total);
        }
        return n;
      }
    });
    try {
      in.mark(4);
      byte[] head = in.readNBytes(4);
      in.reset();
      String bom = bom(head);
      if (bom != null) {
        throw new DataFormatException(file + " is " + bom + " (it starts with that byte-order mark); Seqwatch reads "
            + "UTF-8: convert it first, e.g. iconv -f " + bom + " -t UTF-8 " + file.getFileName() + " > "
            + "utf8-" + file.getFileName());
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** A reader of UTF-8 bytes with replacement (an undecodable sequence becomes {@link #UNDECODABLE}). */
  public static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
  }

  private static String bom(byte[] b) {
    int b0 = b.length > 0 ? b[0] & 0xFF : -1;
    int b1 = b.length > 1 ? b[1] & 0xFF : -1;
    int b2 = b.length > 2 ? b[2] & 0xFF : -1;
    int b3 = b.length > 3 ? b[3] & 0xFF : -1;
    if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
      return "UTF-32LE";
    }
    if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
      return "UTF-32BE";
    }
    if (b0 == 0xFF && b1 == 0xFE) {
      return "UTF-16LE";
    }
    if (b0 == 0xFE && b1 == 0xFF) {
      return "UTF-16BE";
    }
    return null;
  }

  /** The reason to reject a line holding an undecodable sequence, or null for a clean line. */
  static String undecodable(String line) {
    int i = line.indexOf(UNDECODABLE);
    return i < 0 ? null : "the line is not valid UTF-8 (an undecodable byte sequence at character " + (i + 1) + ")";
  }
}
