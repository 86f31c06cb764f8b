package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.CsvMapping;
import io.seqwatch.core.io.EventReader;
import io.seqwatch.core.io.EventReaders;
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
      description = "taobao, rees46, diginetica, tokens, jsonl or csv (csv needs --mapping)")
  String format;

  @Option(names = "--mapping", paramLabel = "FILE", description = "column mapping JSON for --format csv")
  Path mapping;

  EventReader reader() throws IOException {
    Optional<CsvMapping> m = mapping == null ? Optional.empty() : Optional.of(CsvMapping.read(mapping));
    return EventReaders.forFormat(format, m);
  }

  /** Events read from {@code file}; rejected records go to {@code quarantine}; a line on stderr. */
  List<BehaviorEvent> read(Path file, Path quarantine, PrintWriter err) throws IOException {
    EventReader reader = reader();
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.DATA, "input file not found: " + file);
    }
    List<BehaviorEvent> events = new ArrayList<>();
    ReadSummary s;
    try (QuarantineWriter q = new QuarantineWriter(quarantine)) {
      s = reader.read(file, events::add, q);
    }
    err.printf(Locale.ROOT, "read %s: %,d records, %,d accepted, %,d rejected%s%n", file, s.read(),
        s.accepted(), s.rejected(), s.rejected() > 0 ? " (see " + quarantine + ")" : "");
    err.flush();
    if (s.accepted() == 0) {
      throw new CliException(ExitCodes.DATA, "no valid " + format + " record in " + file
          + (s.rejected() > 0 ? "; the reasons are in " + quarantine : " (the file is empty)"));
    }
    return events;
  }
}
