package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.DataFormatException;
import io.seqwatch.core.io.CsvMapping;
import io.seqwatch.core.io.EventReader;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.FeatureTable;
import io.seqwatch.core.io.FeatureTableReader;
import io.seqwatch.core.io.QuarantineWriter;
import io.seqwatch.core.io.ReadSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --input}, {@code --format}, {@code --mapping}, and reading them with a quarantine file.
 *
 * <p>Thread-safety: used from the main thread only.
 */
final class InputOptions {
  @Option(names = "--input", required = true, paramLabel = "FILE", description = "event file")
  Path input;

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      description = "taobao, rees46, diginetica, tokens, jsonl, csv (needs --mapping) or features (a numeric table, "
          + "one row per sample, for the feature detectors)")
  String format;

  @Option(names = "--mapping", paramLabel = "FILE", description = "column mapping JSON for --format csv")
  Path mapping;

  @Option(names = "--key-column", paramLabel = "NAME",
      description = "--format features: the key column (default: key or id when present, else the line number)")
  String keyColumn;

  @Option(names = "--label-column", paramLabel = "NAME",
      description = "--format features: a label column to leave out of the features (default: label when present)")
  String labelColumn;

  @Option(names = "--items", paramLabel = "FILE",
      description = "item side table (CSV with a header or JSON lines; key id/item_id): its fields join each event "
          + "on the item as item.<field> attributes")
  Path items;

  @Option(names = "--actors", paramLabel = "FILE",
      description = "user-profile side table (CSV or JSON lines; key id/actor_id/user_id): fields join on the actor as "
          + "actor.<field>; actor.created (Unix time or ISO-8601) gives account_age_days")
  Path actors;

  @Option(names = "--side-table-max-rows", paramLabel = "N", defaultValue = "2000000",
      description = "most rows a side table may hold (default ${DEFAULT-VALUE}); streams re-read a changed table every minute")
  int sideTableMaxRows;

  /** The side tables of this run, read on first use. */
  private List<io.seqwatch.core.io.SideTable> sideTables;

  /** The --items and --actors tables (read once, refreshed by long streams); a line on stderr each. */
  private List<io.seqwatch.core.io.SideTable> sideTables(Path quarantine, PrintWriter err) throws IOException {
    if (sideTables == null) {
      List<io.seqwatch.core.io.SideTable> t = new ArrayList<>();
      if (items != null) {
        t.add(sideTable(items, io.seqwatch.core.io.SideTable.On.ITEM, quarantine, err));
      }
      if (actors != null) {
        t.add(sideTable(actors, io.seqwatch.core.io.SideTable.On.ACTOR, quarantine, err));
      }
      sideTables = List.copyOf(t);
    }
    return sideTables;
  }

  /** One side table, its rejects beside the quarantine file; a line on stderr. */
  private io.seqwatch.core.io.SideTable sideTable(Path file, io.seqwatch.core.io.SideTable.On on, Path quarantine,
      PrintWriter err) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.DATA, "side table not found: " + file);
    }
    Path rejects = quarantine.resolveSibling("rejected-" + file.getFileName());
    io.seqwatch.core.io.SideTable table;
    try (QuarantineWriter q = new QuarantineWriter(rejects)) {
      table = io.seqwatch.core.io.SideTable.refreshing(file, on, sideTableMaxRows, 60_000, q);
    } catch (DataFormatException e) {
      throw new CliException(ExitCodes.DATA, e.getMessage(), e);
    }
    ReadSummary s = table.summary();
    err.printf(Locale.ROOT, "read side table %s: %,d rows, %,d accepted, %,d rejected%s%n", file, s.read(),
        s.accepted(), s.rejected(), s.rejected() > 0 ? " (see " + rejects + ")" : "");
    return table;
  }

  /** Exact duplicate events are dropped unless the reader says repeats are data (token streams). */
  boolean dropsDuplicates() throws IOException {
    return isTable() || !reader().repeatsAreData();
  }

  /** The format is a plain feature table rather than events. */
  boolean isTable() {
    return format.equals("features");
  }

  /** A feature table read from {@code file}; rejected rows go to {@code quarantine}; a line on stderr. */
  FeatureTable readTable(Path file, Path quarantine, PrintWriter err) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.DATA, "input file not found: " + file);
    }
    FeatureTableReader.Builder b = FeatureTableReader.builder();
    if (keyColumn != null) {
      b.keyColumn(keyColumn);
    }
    if (labelColumn != null) {
      b.labelColumn(labelColumn);
    }
    FeatureTable t;
    try (QuarantineWriter q = new QuarantineWriter(quarantine)) {
      t = b.build().read(file, q);
    } catch (DataFormatException e) {
      throw new CliException(ExitCodes.DATA, file + ": " + e.getMessage(), e);
    }
    ReadSummary s = t.summary();
    if (file.equals(input)) {
      lastRead = s;
      lastQuarantine = quarantine;
    }
    err.printf(Locale.ROOT, "read %s: %,d rows, %,d accepted, %,d rejected%s; %d feature columns%s%s%n", file, s.read(),
        s.accepted(), s.rejected(), s.rejected() > 0 ? " (see " + quarantine + ")" : "", t.schema().size(),
        t.keyColumn().map(k -> ", keys from " + k).orElse(", keys are line numbers"),
        t.labelColumn().map(l -> ", label column " + l + " left out").orElse(""));
    err.flush();
    if (s.accepted() == 0) {
      throw new CliException(ExitCodes.DATA, "no valid row in " + file
          + (s.rejected() > 0 ? "; the reasons are in " + quarantine : " (the table has a header and no rows)"));
    }
    return t;
  }

  EventReader reader() throws IOException {
    if (isTable()) {
      throw new CliException(ExitCodes.USAGE, "--format features is a feature table, not events: train and score take it, "
          + "this command needs events");
    }
    return mapping == null ? EventReaders.forFormat(format) : EventReaders.forFormat(format, CsvMapping.read(mapping));
  }

  /** What the last read of --input found, and where its rejects went (for --json summaries). */
  ReadSummary lastRead;
  Path lastQuarantine;

  /** The last read as a JSON-ready map: records, accepted, rejected, quarantine. */
  java.util.Map<String, Object> readJson() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("input", input.toString());
    if (lastRead != null) {
      m.put("records", lastRead.read());
      m.put("accepted", lastRead.accepted());
      m.put("rejected", lastRead.rejected());
      m.put("quarantine", String.valueOf(lastQuarantine));
      m.put("attributes", lastRead.attributes());
      m.put("ignored", lastRead.ignored());
    }
    return m;
  }

  /** Whether rejected events are quarantined without their raw text (the output is pseudonymised). */
  private boolean withholdRaw;

  /** Quarantines rejected events with line and reason only, when the command pseudonymises actor ids. */
  void withholdRawRejects(boolean withhold) {
    this.withholdRaw = withhold;
  }

  /** Events read from {@code file}; rejected records go to {@code quarantine}; a line on stderr. */
  List<BehaviorEvent> read(Path file, Path quarantine, PrintWriter err) throws IOException {
    List<BehaviorEvent> events = new ArrayList<>();
    forEach(file, quarantine, err, 0, events::add);
    return events;
  }

  /**
   * Reads {@code file} column-wise ({@link io.seqwatch.core.prep.EventTable}, about 30 bytes per event);
   * with {@code sample} ({@code N} actors or a share, {@link io.seqwatch.core.prep.ActorSample}) only a
   * seeded sample of actors, each whole, is kept, and what was kept is said on {@code err}: memory then
   * follows the sample, not the file.
   */
  io.seqwatch.core.prep.EventTable readEvents(Path file, Path quarantine, PrintWriter err, String sample, long seed)
      throws IOException {
    if (sample == null) {
      io.seqwatch.core.prep.EventTable events = new io.seqwatch.core.prep.EventTable();
      forEach(file, quarantine, err, 0, events);
      return events;
    }
    io.seqwatch.core.prep.ActorSample s = io.seqwatch.core.prep.ActorSample.parse(sample, seed);
    forEach(file, quarantine, err, 0, s);
    err.printf(Locale.ROOT, "%s%n", s.text());
    err.flush();
    return s.table();
  }

  /**
   * Streams the events of {@code file} to {@code events} as they are read (memory does not grow
   * with the file), skipping records on lines up to {@code skipThroughLine} (a resumed stream has
   * handled them); rejected records go to {@code quarantine}; a line on stderr at the end.
   */
  ReadSummary forEach(Path file, Path quarantine, PrintWriter err, long skipThroughLine,
      java.util.function.Consumer<BehaviorEvent> events) throws IOException {
    EventReader reader = reader();
    if (!Files.exists(file) || Files.isDirectory(file)) { // a named pipe is fine: stream reads as it comes
      throw new CliException(ExitCodes.DATA, "input file not found: " + file);
    }
    ReadSummary s;
    List<io.seqwatch.core.io.SideTable> tables = sideTables(quarantine, err);
    try (QuarantineWriter q = withholdRaw ? QuarantineWriter.withoutRaw(quarantine) : new QuarantineWriter(quarantine)) {
      java.util.function.Consumer<BehaviorEvent> each = e -> {
        if (e.line() > skipThroughLine) {
          BehaviorEvent joined = e;
          for (io.seqwatch.core.io.SideTable t : tables) {
            joined = t.join(joined);
          }
          events.accept(joined);
        }
      };
      long size = Files.isRegularFile(file) ? Files.size(file) : 0;
      ProgressBar bar = new ProgressBar(err, "reading " + file.getFileName());
      long[] bytes = {0};
      long[] records = {0};
      java.util.function.LongConsumer draw = at -> bar.work(at, size,
          String.format(Locale.ROOT, "%,d records, %s", records[0], bar.perSecond(records[0])));
      java.util.function.Consumer<BehaviorEvent> counted = e -> {
        each.accept(e);
        if ((++records[0] & 0xFFFF) == 0) {
          draw.accept(bytes[0]);
        }
      };
      // into a column store with nothing to join or skip, a reader's fast path adds plain records to
      // the store itself (no event objects); progress then counts rows as the bytes go by
      io.seqwatch.core.io.ColumnSink columns = events instanceof io.seqwatch.core.io.ColumnSink c && tables.isEmpty()
          && skipThroughLine == 0 ? c : null;
      java.util.function.Consumer<BehaviorEvent> sink = columns != null ? new io.seqwatch.core.io.ColumnSink() {
        @Override
        public io.seqwatch.core.prep.EventTable table() {
          return columns.table();
        }

        @Override
        public void added() {
          columns.added();
          records[0]++;
        }

        @Override
        public void accept(BehaviorEvent e) {
          columns.accept(e);
          records[0]++;
        }
      } : events instanceof io.seqwatch.core.io.SharesValues ? io.seqwatch.core.io.SharesValues.of(counted) : counted;
      java.util.function.LongConsumer progress = columns == null ? n -> bytes[0] = n : n -> {
        if (n >>> 22 != bytes[0] >>> 22) { // every 4 MB
          draw.accept(n);
        }
        bytes[0] = n;
      };
      try (java.io.InputStream in = io.seqwatch.core.io.TextInput.openBytes(file, progress)) { // lines found in the bytes
        s = reader.read(in, sink, r -> {
          if (r.line() > skipThroughLine) {
            q.accept(r);
          }
        });
      }
      bar.work(size, size, "");
    }
    if (file.equals(input)) {
      lastRead = s;
      lastQuarantine = quarantine;
    }
    err.printf(Locale.ROOT, "read %s: %,d records, %,d accepted, %,d rejected%s%n", file, s.read(),
        s.accepted(), s.rejected(), s.rejected() > 0 ? " (see " + quarantine + ")" : "");
    if (!s.fieldsText().isEmpty()) {
      err.printf(Locale.ROOT, "  %s%n", s.fieldsText());
    }
    for (io.seqwatch.core.io.SideTable t : tables) {
      err.printf(Locale.ROOT, "  joined %s%n", t.statsText());
    }
    err.flush();
    if (s.accepted() == 0) {
      throw new CliException(ExitCodes.DATA, "no valid " + format + " record in " + file
          + (s.rejected() > 0 ? "; the reasons are in " + quarantine : " (the file is empty)"));
    }
    return s;
  }
}
