package io.seqwatch.core.eval;

import io.seqwatch.api.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Ground truth: header {@code key,label[,kind]}, label 0 (normal) or 1 (anomalous), kind an optional
 * anomaly kind for per-kind recall.
 *
 * <p>Thread-safety: immutable.
 */
public final class Labels {
  private final Map<String, Boolean> labels;
  private final Map<String, String> kinds;

  public Labels(Map<String, Boolean> labels, Map<String, String> kinds) {
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    this.kinds = Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
  }

  /**
   * Reads a labels CSV.
   *
   * @throws DataFormatException naming the line of a bad row, or a missing header
   */
  public static Labels read(Path file) throws IOException {
    Map<String, Boolean> labels = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setTrim(true).get().parse(r)) {
      if (!p.getHeaderNames().contains("key") || !p.getHeaderNames().contains("label")) {
        throw new DataFormatException(file + ": labels need a header key,label[,kind]; found "
            + p.getHeaderNames());
      }
      boolean hasKind = p.getHeaderNames().contains("kind");
      for (CSVRecord rec : p) {
        long line = rec.getRecordNumber() + 1;
        if (!rec.isConsistent()) {
          throw new DataFormatException(file + " line " + line + ": expected "
              + p.getHeaderNames().size() + " fields, found " + rec.size());
        }
        String key = rec.get("key");
        String l = rec.get("label");
        if (!l.equals("0") && !l.equals("1")) {
          throw new DataFormatException(file + " line " + line + ": label '" + l + "' is not 0 or 1");
        }
        if (labels.put(key, l.equals("1")) != null) {
          throw new DataFormatException(file + " line " + line + ": key '" + key + "' appears twice");
        }
        if (hasKind && !rec.get("kind").isEmpty()) {
          kinds.put(key, rec.get("kind"));
        }
      }
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      throw new DataFormatException(file + ": not a valid labels CSV: " + e.getMessage(), e);
    }
    return new Labels(labels, kinds);
  }

  /** Label of a key, when known. */
  public Optional<Boolean> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /** Kind of a key, when given. */
  public Optional<String> kind(String key) {
    return Optional.ofNullable(kinds.get(key));
  }

  /** All labels by key. */
  public Map<String, Boolean> asMap() {
    return labels;
  }

  /** Writes {@code key,label,kind} rows, atomically (temporary file + rename). */
  public void write(Path file) throws IOException {
    java.util.List<String> rows = new java.util.ArrayList<>(labels.size() + 1);
    rows.add("key,label,kind");
    labels.forEach((key, anomalous) ->
        rows.add(CSVFormat.DEFAULT.format(key, anomalous ? "1" : "0", kinds.getOrDefault(key, ""))));
    io.seqwatch.core.io.TextFiles.writeAtomically(file, rows);
  }

  public int size() {
    return labels.size();
  }
}
