package io.seqwatch.core.io;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Field checks shared by the readers; each failure is a {@link RecordException} with a reason a
 * person can act on.
 *
 * <p>Thread-safety: stateless.
 */
final class Fields {
  /** 2000-01-01T00:00:00Z in Unix seconds. */
  static final long MIN_SECONDS = 946_684_800L;
  /** 2100-01-01T00:00:00Z in Unix seconds. */
  static final long MAX_SECONDS = 4_102_444_800L;

  private Fields() {}

  static void count(List<String> f, int expected, String layout) throws RecordException {
    if (f.size() != expected) {
      throw new RecordException(
          "expected " + expected + " fields (" + layout + "), found " + f.size());
    }
  }

  static String required(String value, String name) throws RecordException {
    String v = value.trim();
    if (v.isEmpty()) {
      throw new RecordException(name + " is empty");
    }
    return v;
  }

  static Optional<String> optional(String value) {
    String v = value.trim();
    return v.isEmpty() || v.equalsIgnoreCase("NA") || v.equalsIgnoreCase("null")
        ? Optional.empty()
        : Optional.of(v);
  }

  static OptionalDouble optionalPrice(String value, String name) throws RecordException {
    String v = value.trim();
    if (v.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d) || d < 0) {
        throw new RecordException(name + " '" + v + "' is not a non-negative number");
      }
      return OptionalDouble.of(d);
    } catch (NumberFormatException e) {
      throw new RecordException(name + " '" + v + "' is not a number");
    }
  }

  /** Unix seconds in [2000, 2100), returned as milliseconds. */
  static long epochSeconds(String value, String name) throws RecordException {
    String v = value.trim();
    long s;
    try {
      s = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new RecordException(name + " '" + v + "' is not an integer (Unix seconds expected)");
    }
    if (s < MIN_SECONDS || s >= MAX_SECONDS) {
      throw new RecordException(
          name + " " + s + " is not a Unix time in seconds between 2000 and 2100"
              + (v.length() < 10 ? " (truncated record?)" : ""));
    }
    return s * 1000L;
  }

  /** Unix milliseconds in [2000, 2100). */
  static long epochMillis(String value, String name) throws RecordException {
    String v = value.trim();
    long ms;
    try {
      ms = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new RecordException(name + " '" + v + "' is not an integer (Unix milliseconds expected)");
    }
    checkMillis(ms, name, v);
    return ms;
  }

  static void checkMillis(long ms, String name, String raw) throws RecordException {
    if (ms < MIN_SECONDS * 1000L || ms >= MAX_SECONDS * 1000L) {
      throw new RecordException(name + " '" + raw + "' is not between 2000 and 2100");
    }
  }

  static long isoInstant(String value, String name) throws RecordException {
    String v = value.trim();
    try {
      long ms = Instant.parse(v).toEpochMilli();
      checkMillis(ms, name, v);
      return ms;
    } catch (java.time.format.DateTimeParseException e) {
      throw new RecordException(name + " '" + v + "' is not an ISO-8601 instant");
    }
  }
}
