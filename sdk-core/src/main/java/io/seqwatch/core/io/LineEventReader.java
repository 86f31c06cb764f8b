package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Base of the line-oriented readers: counts lines ({@link LineInput} over text, {@link ByteLines} over
 * UTF-8 bytes, the same lines: as {@code sed -n} numbers them, at most 1 MiB characters each), skips
 * the header and blank lines, and turns a parser's {@link RecordException} (or any runtime failure,
 * or an overlong line) into a {@link RejectedRecord}. Over bytes, a reader with a fast path
 * ({@link #parseInto}) adds plain records to a column store without decoding them.
 *
 * <p>Thread-safety: stateless; subclasses must keep {@link #parse} free of shared mutable state.
 */
abstract class LineEventReader implements EventReader {
  private final boolean header;

  LineEventReader(boolean header) {
    this.header = header;
  }

  /**
   * Parses one record into one or more events, with the read's {@link ReadContext}: naming each
   * source field it does not keep, sharing repeated attribute values (readers of formats with
   * fixed fields leave it alone).
   *
   * @throws RecordException with the reason, to reject the record
   */
  abstract void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context)
      throws RecordException;

  /**
   * The state of one read that a parser may use: the fields a record did not keep, and one shared
   * copy of each repeated attribute value (a device id or user agent repeats on every event of an
   * actor; held once, the events cost their references only). At most {@value #MAX_SHARED} values
   * are shared at a time; past that the table starts again, so memory stays bounded.
   *
   * <p>Thread-safety: not thread-safe; one per read.
   */
  static final class ReadContext extends SharedValues {
    final List<String> ignored = new ArrayList<>();
  }

  /**
   * Adds a plain record straight to a column store, without making an event: returns false to leave
   * the line to {@link #parse} (anything irregular, including every line to reject), true when the
   * row added is the one {@link #parse} would have produced. The line is {@code line[from, to)}, ASCII
   * without a CR ({@link ByteLines#plain}), read from a byte input. Readers without a fast path keep this.
   */
  boolean parseInto(byte[] line, int from, int to, long lineNumber, io.seqwatch.core.prep.EventTable table) {
    return false;
  }

  /** Checks the header line; throws to reject the whole file when it is not the expected one. */
  void checkHeader(String line) throws RecordException {}

  @Override
  public final ReadSummary read(
      BufferedReader in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    return read(in, events, rejected, LineInput.maxChars());
  }

  /** {@link #read(BufferedReader, Consumer, Consumer)} with lines of at most {@code maxChars} characters. */
  final ReadSummary read(BufferedReader in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected,
      int maxChars) throws IOException {
    ReadState state = new ReadState(events, rejected);
    LineInput lines = new LineInput(in, maxChars);
    String line;
    while ((line = lines.next()) != null) {
      state.line(line, lines.truncated(), lines.length(), maxChars);
    }
    return state.summary();
  }

  /**
   * Reads UTF-8 bytes with the lines and results of the decoding read: lines are found in the bytes
   * ({@link ByteLines}), a plain ASCII line becomes a string only when it is parsed as one, and a
   * column store gets plain records straight from the bytes ({@link #parseInto}).
   */
  @Override
  public final ReadSummary read(InputStream in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    return read(in, events, rejected, LineInput.maxChars());
  }

  /** {@link #read(InputStream, Consumer, Consumer)} with lines of at most {@code maxChars} characters. */
  final ReadSummary read(InputStream in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected,
      int maxChars) throws IOException {
    ReadState state = new ReadState(events, rejected);
    ByteLines lines = new ByteLines(in, maxChars);
    while (lines.next()) {
      if (!lines.plain() || !state.plain(lines.bytes(), lines.from(), lines.to())) {
        state.line(lines.text(), lines.truncated(), lines.length(), maxChars);
      }
    }
    return state.summary();
  }

  /** One read's state: the line count, the counts of the summary, and where rows and rejects go. */
  private final class ReadState {
    private final Consumer<BehaviorEvent> events;
    private final Consumer<RejectedRecord> rejected;
    private final ColumnSink columns; // its table is asked for each row: it may change
    private final boolean share; // a column store keeps its own dictionaries
    private final List<BehaviorEvent> buffer = new ArrayList<>();
    private final ReadContext context = new ReadContext();
    private final FieldCounts kept = new FieldCounts();
    private final FieldCounts ignored = new FieldCounts();
    private long lineNumber;
    private long read;
    private long accepted;
    private long rejectedCount;
    private long blank;
    private long produced;
    private boolean headerPending = header;

    ReadState(Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected) {
      this.events = events;
      this.rejected = rejected;
      this.columns = events instanceof ColumnSink c ? c : null;
      this.share = !(events instanceof SharesValues);
    }

    /**
     * The next line when it is plain ASCII in {@code bytes[from, to)}: true when it went straight
     * into the column store as a row, false (nothing counted) to hand it to {@link #line}.
     */
    boolean plain(byte[] bytes, int from, int to) {
      if (columns == null || headerPending || !parseInto(bytes, from, to, lineNumber + 1, columns.table())) {
        return false;
      }
      lineNumber++;
      read++;
      columns.added();
      accepted++;
      produced++;
      return true;
    }

    /** The next line ({@code length} its true length, only its start when {@code truncated}). */
    void line(String line, boolean truncated, long length, int maxChars) {
      lineNumber++;
      if (truncated) {
        read++;
        rejectedCount++;
        headerPending = false;
        rejected.accept(new RejectedRecord(lineNumber, tooLong(length, maxChars), head(line)));
        return;
      }
      if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        blank++;
        return;
      }
      if (headerPending) {
        headerPending = false;
        try {
          checkHeader(line);
          return;
        } catch (RecordException e) {
          // Not the header we expected: treat the line as a record so it is accepted or rejected.
        }
      }
      read++;
      buffer.clear();
      context.ignored.clear();
      String reason;
      try {
        String bad = TextInput.undecodable(line);
        if (bad != null) {
          throw new RecordException(bad);
        }
        parse(line, lineNumber, buffer, context);
        reason = buffer.isEmpty() ? "record produced no event" : null;
      } catch (RecordException e) {
        reason = e.getMessage();
      } catch (RuntimeException e) {
        reason = "invalid record: " + e.getMessage();
      }
      if (reason == null) {
        accepted++;
        produced += buffer.size();
        for (BehaviorEvent e : buffer) {
          io.seqwatch.api.Attributes a = e.attributes();
          for (int i = 0; i < a.size(); i++) {
            kept.add(a.name(i), a.type(i));
          }
          events.accept(share ? context.compact(e) : e);
        }
        context.ignored.forEach(ignored::add);
      } else {
        rejectedCount++;
        rejected.accept(new RejectedRecord(lineNumber, reason, line));
      }
    }

    ReadSummary summary() {
      return new ReadSummary(read, accepted, rejectedCount, blank, produced, kept.counts(), ignored.counts());
    }
  }

  /** Counts by field name, bounded: past {@value #MAX_NAMES} names the rest count as one entry. */
  static final class FieldCounts {
    static final int MAX_NAMES = 1_000;
    static final String OTHERS = "(other names)";
    private final java.util.Map<String, Long> counts = new java.util.HashMap<>();

    void add(String name) {
      String k = counts.containsKey(name) || counts.size() < MAX_NAMES ? name : OTHERS;
      counts.merge(k, 1L, Long::sum);
    }

    /** Counts an attribute as {@code name (type)}. */
    void add(String name, io.seqwatch.api.AttributeType type) {
      if (labels.size() >= MAX_NAMES && !labels.containsKey(name)) {
        add(OTHERS);
        return;
      }
      String[] l = labels.computeIfAbsent(name, n -> new String[io.seqwatch.api.AttributeType.values().length]);
      int t = type.ordinal();
      if (l[t] == null) {
        l[t] = name + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ")";
      }
      add(l[t]);
    }

    private final java.util.Map<String, String[]> labels = new java.util.HashMap<>();

    java.util.Map<String, Long> counts() {
      return counts;
    }
  }

  /** What a rejected overlong line keeps of itself: its first 200 characters (fewer when the limit is lower). */
  static String head(String line) {
    return line.substring(0, Math.min(200, line.length())) + "…";
  }

  /** The reason to reject the overlong line {@code lines} just gave. */
  static String tooLong(LineInput lines) {
    return tooLong(lines.length(), LineInput.maxChars());
  }

  /** The reason to reject a line of {@code length} characters, over the limit of {@code maxChars}. */
  static String tooLong(long length, int maxChars) {
    return String.format(java.util.Locale.ROOT, "the line is %,d characters long, over the limit of %,d "
        + "(a missing line break? -Dseqwatch.max-line-chars=N raises it)", length, maxChars);
  }
}
