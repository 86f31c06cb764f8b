package io.seqwatch.core.io;

import io.seqwatch.api.RejectedRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes rejected records to a CSV quarantine file with header {@code line,reason,raw}, so nothing is
 * dropped silently. The file is always created, so an empty
 * quarantine (header only) proves that nothing was rejected. A writer made {@link #withoutRaw} leaves
 * the {@code raw} column empty: where the output is pseudonymised, the raw text (which holds the
 * actor id) must not reach the files beside it; the line number finds the record in the input.
 *
 * <p>Thread-safety: {@link #accept} is synchronized, so one writer can serve concurrent readers.
 */
public final class QuarantineWriter implements Consumer<RejectedRecord>, AutoCloseable {
  private final Path file;
  private final CSVPrinter printer;
  private final boolean keepRaw;
  private long count;

  /** Creates (or truncates) {@code file}; rejected records are written with their raw text. */
  public QuarantineWriter(Path file) throws IOException {
    this(file, true);
  }

  /** Creates (or truncates) {@code file}; rejected records are written with line and reason only. */
  public static QuarantineWriter withoutRaw(Path file) throws IOException {
    return new QuarantineWriter(file, false);
  }

  private QuarantineWriter(Path file, boolean keepRaw) throws IOException {
    this.file = file;
    this.keepRaw = keepRaw;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("line", "reason", "raw").get());
  }

  @Override
  public synchronized void accept(RejectedRecord r) {
    try {
      printer.printRecord(r.line(), r.reason(), keepRaw ? r.raw() : "");
      count++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write quarantine file " + file, e);
    }
  }

  /** Records written so far. */
  public synchronized long count() {
    return count;
  }

  /** The quarantine file. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    printer.close(true);
  }
}
