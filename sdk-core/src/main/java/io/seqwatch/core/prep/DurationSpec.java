package io.seqwatch.core.prep;

import io.seqwatch.api.ConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The one way Seqwatch writes a duration in a spec string or option: a whole number and a unit,
 * {@code 30s}, {@code 5m}, {@code 24h}, or {@code 0}. Used by grouping ({@code gap:30m}), the
 * streaming options ({@code --lateness 30s}, {@code --idle-ttl 24h}, {@code --snapshot-every 30s})
 * and the Flink job; {@link #format} prints a duration back in the largest whole unit.
 *
 * <p>Thread-safety: stateless.
 */
public final class DurationSpec {
  private DurationSpec() {}

  /**
   * Parses {@code <n>s}, {@code <n>m}, {@code <n>h} (case and surrounding spaces ignored) or {@code 0}.
   *
   * @throws ConfigurationException for anything else, saying what is expected
   */
  public static Duration parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String v = spec.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (v.length() >= 2 && v.chars().limit(v.length() - 1).allMatch(c -> c >= '0' && c <= '9')) {
      try {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        switch (v.charAt(v.length() - 1)) {
          case 's':
            return Duration.ofSeconds(n);
          case 'm':
            return Duration.ofMinutes(n);
          case 'h':
            return Duration.ofHours(n);
          default:
            break;
        }
      } catch (ArithmeticException | NumberFormatException e) {
        // too large: the message below
      }
    }
    throw new ConfigurationException("'" + spec + "' is not a duration such as 30s, 5m or 24h");
  }

  /** {@code d} in the largest whole unit: {@code 2h}, {@code 90m}, {@code 45s}, or {@code 0}. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return "0";
    }
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
