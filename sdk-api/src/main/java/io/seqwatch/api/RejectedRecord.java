package io.seqwatch.api;

import java.util.Objects;

/**
 * A source record that was not accepted, kept with where it was and why, so nothing is lost.
 *
 * @param line 1-based line number in the source
 * @param reason what is wrong, in words
 * @param raw the record's raw text
 *     <p>Thread-safety: immutable.
 */
public record RejectedRecord(long line, String reason, String raw) {
  public RejectedRecord {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(raw, "raw");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1: " + line);
    }
  }
}
