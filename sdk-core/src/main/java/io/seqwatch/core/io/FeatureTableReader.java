package io.seqwatch.core.io;

import io.seqwatch.api.DataFormatException;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a plain feature table ({@code --format features}): a CSV with a header line, one row per
 * sample, every column numeric except an optional key column and an optional label column.
 *
 * <ul>
 *   <li>The key column is the one named by {@link Builder#keyColumn}, else a column called {@code
 *       key} or {@code id} (any case); without one, a row's key is its line number.
 *   <li>The label column is the one named by {@link Builder#labelColumn}, else a column called
 *       {@code label} (any case). It is read past: never a feature, never used for training, so the
 *       field's labelled reference tables can be fed as they are.
 *   <li>The delimiter is the header's most frequent of {@code ,}, {@code ;} and tab.
 * </ul>
 *
 * <p>A row with a wrong field count, an empty, non-numeric or non-finite value, or a key seen
 * before is rejected with its line number and reason; accepted + rejected = read. A header that
 * names no feature column, repeats a name or lacks a named key or label column refuses the file
 * with a {@link DataFormatException}.
 *
 * <pre>{@code
 * FeatureTable t = FeatureTableReader.builder().build().read(Path.of("features.csv"), rejected::add);
 * try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").build().fitTable(t)) { ... }
 * }</pre>
 *
 * <p>Thread-safety: immutable; safe to share.
 */
public final class FeatureTableReader {
  private final Optional<String> keyColumn;
  private final Optional<String> labelColumn;

  private FeatureTableReader(Builder b) {
    this.keyColumn = b.keyColumn;
    this.labelColumn = b.labelColumn;
  }

  /** A reader with the default column rules; set a key or label column by name on the builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Reads {@code file} (UTF-8). */
  public FeatureTable read(Path file, Consumer<RejectedRecord> rejected) throws IOException {
    try (BufferedReader in = TextInput.open(file)) {
      return read(in, rejected);
    }
  }

  /** Reads a table from {@code in}; rejected rows go to {@code rejected}. */
  public FeatureTable read(BufferedReader in, Consumer<RejectedRecord> rejected) throws IOException {
    LineInput lines = new LineInput(in, LineInput.maxChars());
    String header;
    long lineNumber = 0;
    long blank = 0;
    do {
      header = lines.next();
      lineNumber++;
      if (header == null) {
        throw new DataFormatException("the feature table is empty: a header line naming the columns is expected");
      }
      if (lines.truncated()) {
        throw new DataFormatException("the feature table's header (line " + lineNumber + "): "
            + LineEventReader.tooLong(lines));
      }
      if (header.isBlank()) {
        blank++;
      }
    } while (header.isBlank());
    if (header.charAt(0) == '\uFEFF') {
      header = header.substring(1);
    }
    char delimiter = delimiter(header);
    List<String> names;
    try {
      names = CsvLine.split(header, delimiter).stream().map(String::strip).toList();
    } catch (RecordException e) {
      throw new DataFormatException("the feature table's header (line " + lineNumber + ") is malformed: " + e.getMessage());
    }
    int key = column(names, keyColumn, List.of("key", "id"), "key");
    int label = column(names, labelColumn, List.of("label"), "label");
    if (key >= 0 && key == label) {
      throw new DataFormatException("the feature table's column '" + names.get(key) + "' cannot be both key and label");
    }
    List<String> features = new ArrayList<>();
    List<Integer> featureIndex = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      if (!seen.add(names.get(i))) {
        throw new DataFormatException("the feature table's header names column '" + names.get(i) + "' twice");
      }
      if (i != key && i != label) {
        if (names.get(i).isEmpty()) {
          throw new DataFormatException("the feature table's header has an unnamed column " + (i + 1));
        }
        features.add(names.get(i));
        featureIndex.add(i);
      }
    }
    if (features.isEmpty()) {
      throw new DataFormatException("the feature table's header " + names + " names no feature column");
    }
    FeatureSchema schema = new FeatureSchema(features);
    List<FeatureVector> rows = new ArrayList<>();
    Map<String, Long> keys = new HashMap<>();
    long read = 0;
    long rejectedCount = 0;
    String line;
    while ((line = lines.next()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        blank++;
        continue;
      }
      read++;
      try {
        if (lines.truncated()) {
          line = LineEventReader.head(line);
          throw new RecordException(LineEventReader.tooLong(lines));
        }
        String bad = TextInput.undecodable(line);
        if (bad != null) {
          throw new RecordException(bad);
        }
        List<String> f = CsvLine.split(line, delimiter);
        if (f.size() != names.size()) {
          throw new RecordException("expected " + names.size() + " fields as in the header, found " + f.size());
        }
        String k = key >= 0 ? Fields.required(f.get(key), "the key column " + names.get(key))
            : Long.toString(lineNumber);
        double[] v = new double[features.size()];
        for (int j = 0; j < v.length; j++) {
          v[j] = number(f.get(featureIndex.get(j)), features.get(j));
        }
        Long first = keys.putIfAbsent(k, lineNumber);
        if (first != null) {
          throw new RecordException("key '" + k + "' was already used on line " + first);
        }
        rows.add(new FeatureVector(k, schema, v));
      } catch (RecordException e) {
        rejectedCount++;
        rejected.accept(new RejectedRecord(lineNumber, e.getMessage(), line));
      }
    }
    return new FeatureTable(schema, rows, key >= 0 ? Optional.of(names.get(key)) : Optional.empty(),
        label >= 0 ? Optional.of(names.get(label)) : Optional.empty(),
        new ReadSummary(read, rows.size(), rejectedCount, blank, rows.size()));
  }

  private static double number(String field, String column) throws RecordException {
    String s = Fields.required(field, "column " + column);
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new RecordException("column " + column + ": '" + abbreviate(s) + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new RecordException("column " + column + ": " + s + " is not a finite number");
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The index of the named column, or of the first default name present; -1 for none. */
  private static int column(List<String> names, Optional<String> named, List<String> defaults, String role) {
    if (named.isPresent()) {
      int i = names.indexOf(named.get());
      if (i < 0) {
        throw new DataFormatException("the feature table has no " + role + " column '" + named.get()
            + "'; its columns are " + names);
      }
      return i;
    }
    for (int i = 0; i < names.size(); i++) {
      if (defaults.contains(names.get(i).toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  private static char delimiter(String header) {
    char best = ',';
    long most = header.chars().filter(c -> c == ',').count();
    for (char c : new char[] {';', '\t'}) {
      long n = header.chars().filter(x -> x == c).count();
      if (n > most) {
        most = n;
        best = c;
      }
    }
    return best;
  }

  /**
   * Options of a {@link FeatureTableReader}.
   *
   * <p>Thread-safety: not thread-safe; build once.
   */
  public static final class Builder {
    private Optional<String> keyColumn = Optional.empty();
    private Optional<String> labelColumn = Optional.empty();

    private Builder() {}

    /** The column holding each row's key (default: {@code key} or {@code id} when present). */
    public Builder keyColumn(String name) {
      this.keyColumn = Optional.of(requireName(name, "key column"));
      return this;
    }

    /** A label column to read past (default: {@code label} when present). */
    public Builder labelColumn(String name) {
      this.labelColumn = Optional.of(requireName(name, "label column"));
      return this;
    }

    private static String requireName(String name, String what) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(what + " name must not be blank: '" + name + "'");
      }
      return name.strip();
    }

    /** The reader. */
    public FeatureTableReader build() {
      return new FeatureTableReader(this);
    }
  }
}
