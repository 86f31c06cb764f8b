package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads events from a text source, streaming: each accepted event goes to {@code events} as soon as
 * its line is parsed, each rejected record to {@code rejected}.
 *
 * <pre>{@code
 * EventReader reader = EventReaders.forFormat("taobao");
 * ReadSummary s = reader.read(path, events::add, quarantine::write);
 * }</pre>
 *
 * <p>Thread-safety: readers are stateless between calls and safe to share; one call reads on the
 * calling thread.
 */
public interface EventReader {
  /** Format name, for example {@code taobao}. */
  String format();

  /**
   * Whether an exact repeat of an event is data rather than a logging duplicate: {@code false} for
   * event logs, where cleaning drops exact duplicates ({@code Pipeline.Builder.dropDuplicates(true)},
   * the default), {@code true} for token streams, where a session that repeats a key must keep
   * every repeat. Callers building a pipeline for a reader's events pass {@code
   * dropDuplicates(!reader.repeatsAreData())}.
   */
  default boolean repeatsAreData() {
    return false;
  }

  /** Reads a whole source; never closes {@code in}. */
  ReadSummary read(BufferedReader in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException;

  /**
   * Reads UTF-8 bytes, such as a file opened with {@link TextInput#openBytes}: the same events, rejects
   * and summary as reading the decoded text, which is what this default does; the line readers find
   * the lines in the bytes and parse plain ASCII records without decoding them. Never closes {@code in}.
   */
  default ReadSummary read(InputStream in, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    return read(TextInput.reader(in), events, rejected);
  }

  /**
   * Reads a UTF-8 file; a line with bytes that are not UTF-8 is rejected with its line number and
   * reading goes on ({@link TextInput}).
   */
  default ReadSummary read(Path file, Consumer<BehaviorEvent> events, Consumer<RejectedRecord> rejected)
      throws IOException {
    try (InputStream in = TextInput.openBytes(file, n -> { })) {
      return read(in, events, rejected);
    }
  }
}
