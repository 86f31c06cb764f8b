package io.seqwatch.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.DataFormatException;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A side table joined to events by key: an item catalogue (item id -> brand, price band, an
 * embedding) or user profiles (actor id -> account creation time, segment, verified). Each row's
 * fields become event {@linkplain Attributes attributes} named {@code <prefix>.<field>} ({@code
 * item.brand}, {@code actor.segment}), so they never collide with the event's own.
 *
 * <p>Files: CSV with a header whose key column is {@code id}, {@code key}, {@code item_id}, {@code
 * actor_id} or {@code user_id} (else the first column), a column numeric when every non-empty cell
 * is a number and categorical otherwise, a cell of white-space separated numbers in a column named
 * {@code embedding} a vector; or JSON lines with the key in one of those fields, values typed as
 * {@code jsonl} events type them and an array of numbers a vector. A vector of d numbers becomes the
 * numeric attributes {@code <prefix>.<field>.0} .. {@code .d-1}.
 *
 * <p>Bounded: a table with more than {@code maxRows} rows is refused (say so with a larger bound).
 * A malformed row is rejected with its line number and reason (accepted + rejected = read). A key
 * the table lacks is a counted miss ({@link #misses()}), never an error. {@link #refreshing}
 * re-reads the file when it changes, for long-running streams.
 *
 * <p>Thread-safety: safe for concurrent {@link #join} and {@link #attributes}; a refresh swaps the
 * whole table at once.
 */
public final class SideTable {
  /** Rows a table may hold unless told otherwise. */
  public static final int DEFAULT_MAX_ROWS = 2_000_000;
  private static final List<String> KEYS = List.of("id", "key", "item_id", "actor_id", "user_id", "item", "actor");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which key of an event a table joins on. */
  public enum On {
    /** The event's item id. */
    ITEM,
    /** The event's actor id. */
    ACTOR
  }

  private final Path file;
  private final On on;
  private final String prefix;
  private final int maxRows;
  private final long refreshMillis;
  private volatile Map<String, Attributes> rows;
  private volatile FileTime loadedVersion;
  private volatile long checkedAt;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final ReadSummary summary;
  private final java.util.function.LongSupplier clock;

  private SideTable(Path file, On on, String prefix, int maxRows, long refreshMillis, Consumer<RejectedRecord> rejected,
      java.util.function.LongSupplier clock) throws IOException {
    this.clock = clock;
    this.file = file;
    this.on = on;
    this.prefix = prefix;
    this.maxRows = maxRows;
    this.refreshMillis = refreshMillis;
    Map<String, Attributes> m = new HashMap<>();
    this.summary = load(file, prefix, maxRows, m, rejected);
    this.rows = m;
    this.loadedVersion = Files.getLastModifiedTime(file);
    this.checkedAt = clock.getAsLong();
  }

  /**
   * Reads a side table that joins on {@code on}, with attribute names prefixed {@code item.} or
   * {@code actor.}.
   *
   * @param rejected receives each malformed row
   * @throws DataFormatException when the file has more than {@code maxRows} rows or no header
   */
  public static SideTable read(Path file, On on, int maxRows, Consumer<RejectedRecord> rejected) throws IOException {
    return new SideTable(file, on, on == On.ITEM ? "item" : "actor", maxRows, 0, rejected, System::currentTimeMillis);
  }

  /** As {@link #read}, re-reading the file when it has changed, checked at most every {@code refreshMillis}. */
  public static SideTable refreshing(Path file, On on, int maxRows, long refreshMillis,
      Consumer<RejectedRecord> rejected) throws IOException {
    return refreshing(file, on, maxRows, refreshMillis, rejected, System::currentTimeMillis);
  }

  /** As {@link #refreshing(Path, On, int, long, Consumer)} with a clock in milliseconds (for tests). */
  static SideTable refreshing(Path file, On on, int maxRows, long refreshMillis, Consumer<RejectedRecord> rejected,
      java.util.function.LongSupplier clock) throws IOException {
    if (refreshMillis <= 0) {
      throw new ConfigurationException("a side table's refresh interval must be positive: " + refreshMillis);
    }
    return new SideTable(file, on, on == On.ITEM ? "item" : "actor", maxRows, refreshMillis, rejected, clock);
  }

  /** What the first read found. */
  public ReadSummary summary() {
    return summary;
  }

  /** Rows held. */
  public int size() {
    return rows.size();
  }

  /** Events joined to a row. */
  public long hits() {
    return hits.get();
  }

  /** Events whose key the table lacks (or that have no item id, for an item table). */
  public long misses() {
    return misses.get();
  }

  /** The row of {@code key}, when present (not counted). */
  public Optional<Attributes> attributes(String key) {
    return Optional.ofNullable(rows.get(key));
  }

  /** {@code e} with its row's attributes added (the event's own win on a clash); a miss is counted. */
  public BehaviorEvent join(BehaviorEvent e) {
    refreshIfDue();
    Optional<String> key = on == On.ITEM ? e.itemId() : Optional.of(e.actorId());
    Attributes row = key.isPresent() ? rows.get(key.get()) : null;
    if (row == null) {
      misses.incrementAndGet();
      return e;
    }
    hits.incrementAndGet();
    return e.withAttributes(row.with(e.attributes()));
  }

  /** Hits and misses for people: {@code items.csv: 12,001 events joined, 35 without a row}. */
  public String statsText() {
    return String.format(Locale.ROOT, "%s: %,d events joined, %,d without a row", file.getFileName(), hits(), misses());
  }

  private void refreshIfDue() {
    if (refreshMillis <= 0) {
      return;
    }
    long now = clock.getAsLong();
    if (now - checkedAt < refreshMillis) {
      return;
    }
    synchronized (this) {
      if (now - checkedAt < refreshMillis) {
        return;
      }
      checkedAt = now;
      try {
        FileTime v = Files.getLastModifiedTime(file);
        if (v.equals(loadedVersion)) {
          return;
        }
        Map<String, Attributes> m = new HashMap<>();
        load(file, prefix, maxRows, m, r -> { });
        rows = m;
        loadedVersion = v;
      } catch (IOException | RuntimeException ex) {
        // a table being rewritten or damaged: keep the rows held and try again at the next check
        org.slf4j.LoggerFactory.getLogger(SideTable.class).warn("side table {} not refreshed, keeping {} rows: {}", file,
            rows.size(), ex.toString());
      }
    }
  }

  private static ReadSummary load(Path file, String prefix, int maxRows, Map<String, Attributes> out,
      Consumer<RejectedRecord> rejected) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson");
    return json ? loadJson(file, prefix, maxRows, out, rejected) : loadCsv(file, prefix, maxRows, out, rejected);
  }

  private static void tooMany(Path file, int maxRows) {
    throw new DataFormatException(String.format(Locale.ROOT, "side table %s has more than %,d rows; give a larger "
        + "bound (--side-table-max-rows) or a smaller table", file, maxRows));
  }

  /** One record line of a side table; throws to reject it. */
  @FunctionalInterface
  private interface Row {
    void parse(long lineNumber, String line) throws RecordException;
  }

  /**
   * Reads {@code file} line by line, as the event readers do: blank lines counted apart, the first
   * other line given to {@code header} when it is not null, an overlong line rejected, and every
   * line with bytes that are not UTF-8 rejected, and every
   * other line to {@code row}, whose {@link RecordException} (or {@link IllegalArgumentException})
   * rejects it with its line number.
   *
   * @return records read, records rejected, blank lines
   */
  private static long[] eachRow(Path file, java.util.function.Consumer<String> header, Row row,
      Consumer<RejectedRecord> rejected) throws IOException {
    long read = 0;
    long bad = 0;
    long blank = 0;
    long lineNumber = 0;
    boolean headerPending = header != null;
    try (BufferedReader in = TextInput.open(file)) {
      LineInput lines = new LineInput(in, LineInput.maxChars());
      String line;
      while ((line = lines.next()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          blank++;
          continue;
        }
        if (headerPending) {
          headerPending = false;
          header.accept(line.startsWith("\uFEFF") ? line.substring(1) : line);
          continue;
        }
        read++;
        try {
          if (lines.truncated()) {
            throw new RecordException(LineEventReader.tooLong(lines));
          }
          String undecodable = TextInput.undecodable(line);
          if (undecodable != null) {
            throw new RecordException(undecodable);
          }
          row.parse(lineNumber, line);
        } catch (RecordException | IllegalArgumentException e) {
          bad++;
          rejected.accept(new RejectedRecord(lineNumber, e.getMessage(), LineEventReader.head(line)));
        }
      }
    }
    return new long[] {read, bad, blank};
  }

  private static ReadSummary loadJson(Path file, String prefix, int maxRows, Map<String, Attributes> out,
      Consumer<RejectedRecord> rejected) throws IOException {
    long[] counts = eachRow(file, null, (lineNumber, line) -> {
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new RecordException("not valid JSON: " + e.getOriginalMessage());
      }
      if (n == null || !n.isObject()) {
        throw new RecordException("not a JSON object");
      }
      String key = null;
      for (String k : KEYS) {
        if (n.hasNonNull(k) && n.get(k).isValueNode()) {
          key = n.get(k).asText().trim();
          break;
        }
      }
      if (key == null || key.isEmpty()) {
        throw new RecordException("no key (one of " + String.join(", ", KEYS) + ")");
      }
      Attributes.Builder b = Attributes.builder();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode v = f.getValue();
        if (KEYS.contains(f.getKey()) || v.isNull()) {
          continue;
        }
        String attr = prefix + "." + f.getKey();
        if (v.isArray()) {
          for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isNumber() || !Double.isFinite(v.get(i).asDouble())) {
              throw new RecordException(f.getKey() + "[" + i + "] is not a finite number");
            }
            b.numeric(attr + "." + i, v.get(i).asDouble());
          }
        } else if (v.isNumber()) {
          if (!Double.isFinite(v.asDouble())) {
            throw new RecordException(f.getKey() + " is not finite");
          }
          b.numeric(attr, v.asDouble());
        } else if (v.isValueNode() && !v.asText().isBlank()) {
          b.categorical(attr, v.asText().trim());
        }
      }
      if (out.put(key, b.build()) == null && out.size() > maxRows) {
        tooMany(file, maxRows);
      }
    }, rejected);
    return new ReadSummary(counts[0], counts[0] - counts[1], counts[1], counts[2], out.size());
  }

  private static ReadSummary loadCsv(Path file, String prefix, int maxRows, Map<String, Attributes> out,
      Consumer<RejectedRecord> rejected) throws IOException {
    List<List<String>> headers = new ArrayList<>(1);
    char[] delimiters = new char[1];
    List<String[]> cells = new ArrayList<>();
    List<Long> lineOf = new ArrayList<>();
    long[] counts = eachRow(file, line -> {
      delimiters[0] = line.indexOf(',') >= 0 ? ',' : line.indexOf(';') >= 0 ? ';' : '\t';
      try {
        headers.add(CsvLine.split(line, delimiters[0]).stream().map(String::trim).toList());
      } catch (RecordException e) {
        throw new DataFormatException("side table " + file + ": the header line is not CSV: " + e.getMessage());
      }
    }, (lineNumber, line) -> {
      List<String> f = CsvLine.split(line, delimiters[0]);
      if (f.size() != headers.get(0).size()) {
        throw new RecordException("has " + f.size() + " fields, the header " + headers.get(0).size());
      }
      cells.add(f.toArray(new String[0]));
      lineOf.add(lineNumber);
      if (cells.size() > maxRows) {
        tooMany(file, maxRows);
      }
    }, rejected);
    long read = counts[0];
    long bad = counts[1];
    long blank = counts[2];
    List<String> header = headers.isEmpty() ? null : headers.get(0);
    char delimiter = delimiters[0];
    if (header == null) {
      throw new DataFormatException("side table " + file + " is empty: it needs a header and rows");
    }
    int keyColumn = 0;
    for (String k : KEYS) {
      if (header.contains(k)) {
        keyColumn = header.indexOf(k);
        break;
      }
    }
    // a column is numeric when every non-empty cell is a number (vectors: a column named embedding)
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < header.size(); c++) {
      boolean any = false;
      boolean all = true;
      for (String[] row : cells) {
        String v = row[c].trim();
        if (!v.isEmpty()) {
          any = true;
          all &= isNumber(v);
        }
      }
      numeric[c] = any && all && c != keyColumn;
    }
    for (int r = 0; r < cells.size(); r++) {
      String[] row = cells.get(r);
      String key = row[keyColumn].trim();
      try {
        if (key.isEmpty()) {
          throw new RecordException("empty key in column " + header.get(keyColumn));
        }
        Attributes.Builder b = Attributes.builder();
        for (int c = 0; c < header.size(); c++) {
          String v = row[c].trim();
          if (c == keyColumn || v.isEmpty()) {
            continue;
          }
          String attr = prefix + "." + header.get(c);
          if (header.get(c).equals("embedding")) {
            String[] parts = v.split("\\s+");
            for (int i = 0; i < parts.length; i++) {
              if (!isNumber(parts[i])) {
                throw new RecordException("embedding value " + (i + 1) + " '" + parts[i] + "' is not a number");
              }
              b.numeric(attr + "." + i, Double.parseDouble(parts[i]));
            }
          } else {
            b.add(attr, numeric[c] ? AttributeType.NUMERIC : AttributeType.CATEGORICAL, v);
          }
        }
        out.put(key, b.build());
      } catch (RecordException | IllegalArgumentException e) {
        bad++;
        rejected.accept(new RejectedRecord(lineOf.get(r), e.getMessage(), String.join(String.valueOf(delimiter), row)));
      }
    }
    return new ReadSummary(read, read - bad, bad, blank, out.size());
  }

  private static boolean isNumber(String v) {
    try {
      return Double.isFinite(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
