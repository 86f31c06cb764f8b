package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Generic CSV with a {@link CsvMapping}. Column names are resolved against the header once per read.
 *
 * <p>Thread-safety: immutable; each {@link #read} uses its own state, so it is safe to share.
 */
final class MappedCsvReader implements EventReader {
  private final CsvMapping mapping;
  private final char delimiter;
  private final DateTimeFormatter pattern;

  MappedCsvReader(CsvMapping mapping) {
    this.mapping = mapping;
    this.delimiter = mapping.delimiter().charAt(0);
    this.pattern = mapping.timestampFormat().startsWith("pattern:")
        ? DateTimeFormatter.ofPattern(mapping.timestampFormat().substring("pattern:".length()))
        : null;
  }

  @Override
  public String format() {
    return "csv";
  }

  @Override
  public ReadSummary read(
      BufferedReader in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    return new Pass().read(in, events, rejected);
  }

  @Override
  public ReadSummary read(java.io.InputStream in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    return new Pass().read(in, events, rejected);
  }

  /** One read: holds the column indices resolved from this file's header. */
  private final class Pass extends LineEventReader {
    private final Map<String, Integer> index = new HashMap<>();
    /** Attribute names, their types and columns, in the mapping's name order. */
    private final List<String> attributeNames = new java.util.ArrayList<>();
    private final List<io.seqwatch.api.AttributeType> attributeTypes = new java.util.ArrayList<>();
    private final List<Integer> attributeColumns = new java.util.ArrayList<>();
    /** Header columns that no role or attribute reads. */
    private List<String> unread = List.of();
    private int tokensIndex = -1;
    private String headerError = null;

    Pass() {
      super(mapping.header());
      if (!mapping.header()) {
        resolve(null);
      }
    }

    @Override
    public String format() {
      return "csv";
    }

    private void resolve(List<String> names) {
      for (Map.Entry<String, String> e : mapping.columns().entrySet()) {
        index.put(e.getKey(), column(names, e.getValue()));
      }
      mapping.tokensColumn().ifPresent(t -> tokensIndex = column(names, t));
      for (Map.Entry<String, String> a : new java.util.TreeMap<>(mapping.attributes()).entrySet()) {
        attributeNames.add(a.getKey());
        attributeTypes.add(CsvMapping.attributeType(a.getKey(), a.getValue()));
        attributeColumns.add(column(names, CsvMapping.attributeColumn(a.getValue())));
      }
      if (names != null && tokensIndex < 0) {
        java.util.Set<Integer> used = new java.util.HashSet<>(index.values());
        used.addAll(attributeColumns);
        List<String> u = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
          if (!used.contains(i) && !names.get(i).isEmpty()) {
            u.add(names.get(i) + " (not in the mapping)");
          }
        }
        unread = List.copyOf(u);
      }
    }

    private int column(List<String> names, String ref) {
      if (ref.matches("\\d+")) {
        return Integer.parseInt(ref);
      }
      int i = names == null ? -1 : names.indexOf(ref);
      if (i < 0) {
        headerError = "column '" + ref + "' is not in the header " + names;
      }
      return i;
    }

    @Override
    void checkHeader(String line) throws RecordException {
      resolve(CsvLine.split(line, delimiter).stream().map(String::trim).toList());
    }

    private String field(List<String> f, String role) throws RecordException {
      Integer i = index.get(role);
      if (i == null) {
        return "";
      }
      if (i >= f.size()) {
        throw new RecordException("no column " + i + " (" + role + "); the record has " + f.size() + " fields");
      }
      return f.get(i);
    }

    @Override
    void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context) throws RecordException {
      if (headerError != null) {
        throw new RecordException(headerError);
      }
      List<String> f = CsvLine.split(line, delimiter);
      if (tokensIndex >= 0) {
        if (tokensIndex >= f.size()) {
          throw new RecordException("no column " + tokensIndex + " (tokens); the record has " + f.size() + " fields");
        }
        String seq = f.get(tokensIndex).trim();
        if (seq.isEmpty()) {
          throw new RecordException("empty sequence");
        }
        TokensReader.emit(seq.split("\\s+"), Long.toString(lineNumber), lineNumber, out);
        return;
      }
      String actor = Fields.required(field(f, "actor"), "actor");
      String rawAction = Fields.required(field(f, "action"), "action");
      String action = mapping.actions().getOrDefault(rawAction, rawAction);
      long ts = timestamp(Fields.required(field(f, "timestamp"), "timestamp"));
      out.add(new BehaviorEvent(actor, Fields.optional(field(f, "session")), ts, rawAction,
          ActionType.fromAlias(action), Fields.optional(field(f, "item")),
          Fields.optional(field(f, "category")),
          index.containsKey("price") ? Fields.optionalPrice(field(f, "price"), "price")
              : OptionalDouble.empty(),
          lineNumber, attributes(f, context)));
      context.ignored.addAll(unread);
    }

    private io.seqwatch.api.Attributes attributes(List<String> f, ReadContext context) throws RecordException {
      if (attributeNames.isEmpty()) {
        return io.seqwatch.api.Attributes.EMPTY;
      }
      io.seqwatch.api.Attributes.Builder b = io.seqwatch.api.Attributes.builder();
      for (int i = 0; i < attributeNames.size(); i++) {
        int c = attributeColumns.get(i);
        if (c >= f.size()) {
          throw new RecordException("no column " + c + " (attribute " + attributeNames.get(i) + "); the record has "
              + f.size() + " fields");
        }
        String v = f.get(c).trim();
        if (v.isEmpty()) {
          continue;
        }
        try {
          b.add(attributeNames.get(i), attributeTypes.get(i),
              attributeTypes.get(i) == io.seqwatch.api.AttributeType.CATEGORICAL ? context.shared(v) : v);
        } catch (IllegalArgumentException e) {
          throw new RecordException(e.getMessage());
        }
      }
      return b.build();
    }

    private long timestamp(String v) throws RecordException {
      switch (mapping.timestampFormat()) {
        case "epoch-seconds":
          return Fields.epochSeconds(v, "timestamp");
        case "epoch-millis":
          return Fields.epochMillis(v, "timestamp");
        case "iso":
          return Fields.isoInstant(v, "timestamp");
        default:
          try {
            // a pattern with an offset or zone (X, x, Z, O, VV) is honoured; without one the time is UTC
            java.time.temporal.TemporalAccessor t = pattern.parse(v);
            long ms = t.query(java.time.temporal.TemporalQueries.zone()) != null
                ? java.time.ZonedDateTime.from(t).toInstant().toEpochMilli()
                : LocalDateTime.from(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            Fields.checkMillis(ms, "timestamp", v);
            return ms;
          } catch (java.time.DateTimeException e) { // unparseable, or fields that do not make a time
            throw new RecordException("timestamp '" + v + "' does not match "
                + mapping.timestampFormat());
          }
      }
    }
  }
}
