package io.seqwatch.core.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines of UTF-8 bytes, split and numbered exactly as {@link LineInput} splits the decoded text
 * (LF ends a line, a CR right before it is dropped, a lone CR inside a line is data, a file whose
 * first line break is a lone CR is split at CRs), without decoding a line that is plain ASCII: such
 * a line is a region of a byte buffer ({@link #plain}, {@link #bytes}, {@link #from}, {@link #to}),
 * which a reader can parse in place, and becomes a string only when asked ({@link #text}). The line
 * breaks are found in the bytes: CR and LF are single bytes that no multi-byte UTF-8 sequence
 * contains, so a line's bytes decode to the line {@code LineInput} gives (undecodable bytes become
 * U+FFFD as there). From a line of more than {@code maxChars} bytes on (it may be over the limit in
 * characters), and after a first line break that is a lone CR, the rest of the input is read by a
 * {@code LineInput}, so that long lines are cut and counted, and CR-separated inputs split, as it
 * does (at its speed: such inputs are rare and usually broken).
 *
 * <p>Thread-safety: not thread-safe; one reader, one thread.
 */
final class ByteLines {
  private static final int BLOCK = 1 << 16;
  private final InputStream in;
  private final int maxChars;
  private byte[] buf = new byte[BLOCK];
  private int pos; // where the next line starts
  private int end; // bytes held: buf[pos, end)
  private boolean eof;
  private int mode = LineInput.UNDECIDED; // as LineInput's: what the first line break was
  private LineInput rest; // reads everything once a line may be too long or the input is CR-separated
  // the current line
  private int from;
  private int to;
  private boolean plain;
  private String text;
  private boolean fromRest;

  ByteLines(InputStream in, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
    }
    this.in = in;
    this.maxChars = maxChars;
  }

  /** Moves to the next line; false at the end of the input. */
  boolean next() throws IOException {
    text = null;
    plain = false;
    fromRest = rest != null;
    if (fromRest) {
      text = rest.next();
      return text != null;
    }
    int scan = pos;
    boolean ascii = true;
    boolean cr = false;
    while (true) {
      int i = scan;
      for (; i < end; i++) {
        byte c = buf[i];
        if (c > '\r') { // most bytes: ASCII, neither LF nor CR
          continue;
        }
        if (c == '\n') {
          return emit(i, i + 1, ascii && !cr, LineInput.LF);
        }
        if (c == '\r') {
          if (i + 1 == end) {
            if (!eof) {
              break; // the byte after the CR decides: read on
            }
            return emit(i, i + 1, ascii && !cr, mode); // a CR at the very end of the input ends the last line
          }
          if (buf[i + 1] == '\n') {
            return emit(i, i + 2, ascii && !cr, LineInput.LF);
          }
          if (mode != LineInput.LF) { // the first line break is a lone CR: the input is split at CRs
            return emit(i, i + 1, ascii && !cr, LineInput.CR);
          }
          cr = true; // a lone CR inside an LF line is data
        }
        ascii &= c >= 0;
      }
      if (i == end && eof) {
        return pos < end && emit(end, end, ascii && !cr, mode); // the last line, without a line break
      }
      if (i == end && end - pos > maxChars) { // may be longer than a line that is not cut: LineInput cuts it
        handOver(mode);
        return next();
      }
      int shift = pos;
      fill();
      scan = i - shift;
    }
  }

  /** Whether the line is ASCII without a CR: {@link #bytes}[{@link #from}, {@link #to}) is its text. */
  boolean plain() {
    return plain;
  }

  byte[] bytes() {
    return buf;
  }

  int from() {
    return from;
  }

  int to() {
    return to;
  }

  /** The line as {@link LineInput#next} gives it. */
  String text() {
    if (text == null) {
      text = new String(buf, from, to - from, plain ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
    return text;
  }

  /** Whether the line was longer than {@code maxChars} characters (only its start came back). */
  boolean truncated() {
    return fromRest && rest.truncated();
  }

  /** The line's true length in characters. */
  long length() {
    return fromRest ? rest.length() : text().length();
  }

  /**
   * Makes {@code buf[pos, lineEnd)} the current line, the next one starting at {@code next}, and
   * {@code lineMode} what the line breaks are now. A line of more than {@code maxChars} bytes is
   * left to a {@link LineInput} from its start (its characters may be over the limit); after a line
   * that makes the input CR-separated the rest is.
   */
  private boolean emit(int lineEnd, int next, boolean plainLine, int lineMode) throws IOException {
    if (lineEnd - pos > maxChars) {
      handOver(mode);
      return next();
    }
    from = pos;
    to = lineEnd;
    plain = plainLine;
    pos = next;
    if (lineMode == LineInput.CR) {
      text(); // decoded before its bytes are left behind
      handOver(LineInput.CR);
    } else {
      mode = lineMode;
    }
    return true;
  }

  /** Hands the rest of the input, from {@code pos}, to a {@link LineInput} whose line breaks are {@code lineMode}. */
  private void handOver(int lineMode) {
    InputStream remaining = new SequenceInputStream(new ByteArrayInputStream(buf, pos, end - pos), in);
    rest = new LineInput(TextInput.reader(remaining), maxChars, lineMode);
  }

  /** Moves the held bytes to the front (growing the buffer when they fill it) and reads more. */
  private void fill() throws IOException {
    int held = end - pos;
    if (held == buf.length) {
      byte[] bigger = new byte[buf.length * 2];
      System.arraycopy(buf, pos, bigger, 0, held);
      buf = bigger;
    } else if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, held);
    }
    pos = 0;
    end = held;
    int n = in.read(buf, end, buf.length - end);
    while (n == 0) {
      n = in.read(buf, end, buf.length - end);
    }
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }
}
