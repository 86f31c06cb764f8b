package io.seqwatch.core.io;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text input, bounded in length and numbered as {@code sed -n}, {@code wc -l},
 * {@code grep -n} and editors number them: a line ends at LF, a CR right before the LF is dropped,
 * and a lone CR inside a line is a character of it. A file whose first line break is a lone CR
 * (classic Mac line endings) is split at CRs instead. A line longer than {@code maxChars} is not
 * held: its first {@code maxChars} characters come back with {@link #truncated()} set and its true
 * {@link #length()}, so a reader rejects it with its line number and memory stays bounded whatever
 * the input (a 50 MB line without a line break costs {@code maxChars}, not 2 GB).
 *
 * <p>Thread-safety: not thread-safe; one reader, one thread.
 */
final class LineInput {
  /** The default longest line, in characters (1 MiB); {@code -Dseqwatch.max-line-chars} changes it. */
  static final int DEFAULT_MAX_CHARS = 1 << 20;

  /** No line break seen yet. */
  static final int UNDECIDED = 0;
  /** The first line break was an LF (or CR LF): LF ends a line, a lone CR is data. */
  static final int LF = 1;
  /** The first line break was a lone CR: CR ends a line, an LF is data. */
  static final int CR = 2;

  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[8192];
  private final StringBuilder line = new StringBuilder();
  private int pos;
  private int end;
  private int mode;
  private long length;

  LineInput(Reader in, int maxChars) {
    this(in, maxChars, UNDECIDED);
  }

  /** Lines of {@code in} whose line breaks are already known to be {@code mode} ({@link ByteLines} hands over). */
  LineInput(Reader in, int maxChars, int mode) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
    }
    this.in = in;
    this.maxChars = maxChars;
    this.mode = mode;
  }

  /** The longest line the readers take: {@code -Dseqwatch.max-line-chars}, else 1 MiB characters. */
  static int maxChars() {
    String v = System.getProperty("seqwatch.max-line-chars");
    if (v == null) {
      return DEFAULT_MAX_CHARS;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new io.seqwatch.api.ConfigurationException("seqwatch.max-line-chars must be a positive integer: '" + v + "'");
  }

  /** The next line without its line break (at most {@code maxChars} characters), or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    length = 0;
    boolean any = false;
    while (true) {
      if (pos == end && !fill()) {
        return any ? line.toString() : null;
      }
      any = true;
      for (int i = pos; i < end; i++) {
        char c = buf[i];
        if (c == '\n' && mode != CR) {
          append(pos, i);
          pos = i + 1;
          mode = LF;
          return line.toString();
        }
        if (c == '\r') {
          if (mode == CR) {
            append(pos, i);
            pos = i + 1;
            return line.toString();
          }
          append(pos, i);
          pos = i + 1;
          if (pos == end && !fill()) { // a CR at the very end of the input ends the last line
            return line.toString();
          }
          if (buf[pos] == '\n') {
            pos++;
            mode = LF;
            return line.toString();
          }
          if (mode == UNDECIDED) {
            mode = CR;
            return line.toString();
          }
          appendChar('\r'); // a lone CR inside an LF line is data
          i = pos - 1;
        }
      }
      append(pos, end);
      pos = end;
    }
  }

  /** Whether the last line was longer than {@code maxChars} (only its start came back). */
  boolean truncated() {
    return length > maxChars;
  }

  /** The last line's true length in characters. */
  long length() {
    return length;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      pos = end = 0;
      return false;
    }
    pos = 0;
    end = n;
    return true;
  }

  private void append(int from, int to) {
    int n = to - from;
    length += n;
    int room = maxChars - line.length();
    if (room > 0) {
      line.append(buf, from, Math.min(n, room));
    }
  }

  private void appendChar(char c) {
    length++;
    if (line.length() < maxChars) {
      line.append(c);
    }
  }
}
