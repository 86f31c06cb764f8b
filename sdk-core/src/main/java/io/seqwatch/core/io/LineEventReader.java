package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Base of the line-oriented readers: counts lines ({@link LineInput}: as {@code sed -n} numbers
 * them, at most 1 MiB characters each), skips the header and blank lines, and turns a parser's
 * {@link RecordException} (or any runtime failure, or an overlong line) into a {@link RejectedRecord}.
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
   * row added is the one {@link #parse} would have produced. Readers without a fast path keep this.
   */
  boolean parseInto(String line, long lineNumber, io.seqwatch.core.prep.EventTable table) {
    return false;
  }

  /** Checks the header line; throws to reject the whole file when it is not the expected one. */
  void checkHeader(String line) throws RecordException {}

  @Override
  public final ReadSummary read(
      BufferedReader in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    long lineNumber = 0;
    long read = 0;
    long accepted = 0;
    long rejectedCount = 0;
    long blank = 0;
    long produced = 0;
    boolean headerPending = header;
    List<BehaviorEvent> buffer = new ArrayList<>();
    ReadContext context = new ReadContext();
    boolean share = !(events instanceof SharesValues); // a column store keeps its own dictionaries
    ColumnSink columns = events instanceof ColumnSink c ? c : null; // its table is asked for each row: it may change
    FieldCounts kept = new FieldCounts();
    FieldCounts ignored = new FieldCounts();
    LineInput lines = new LineInput(in, LineInput.maxChars());
    String line;
    while ((line = lines.next()) != null) {
      lineNumber++;
      if (lines.truncated()) {
        read++;
        rejectedCount++;
        headerPending = false;
        rejected.accept(new RejectedRecord(lineNumber, tooLong(lines), head(line)));
        continue;
      }
      if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        blank++;
        continue;
      }
      if (headerPending) {
        headerPending = false;
        try {
          checkHeader(line);
          continue;
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
        if (columns != null && parseInto(line, lineNumber, columns.table())) {
          columns.added();
          accepted++;
          produced++;
          continue;
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
    return new ReadSummary(read, accepted, rejectedCount, blank, produced, kept.counts(), ignored.counts());
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

  /** The reason to reject a line over the length limit. */
  static String tooLong(LineInput lines) {
    return String.format(java.util.Locale.ROOT, "the line is %,d characters long, over the limit of %,d "
        + "(a missing line break? -Dseqwatch.max-line-chars=N raises it)", lines.length(), LineInput.maxChars());
  }
}
