package io.seqwatch.spi;

import java.util.Objects;

/**
 * One declared option of a provider.
 *
 * @param name lower-case key with dots or dashes, for example {@code trees}; a name ending in a dot
 *     ({@link #ofPrefix}) declares a family of pass-through keys such as {@code producer.acks}
 * @param type value type
 * @param defaultValue default as a string (must parse as {@code type})
 * @param description what it does, shown by {@code seqwatch plugins}
 *     <p>Thread-safety: immutable.
 */
public record OptionSpec(String name, OptionType type, String defaultValue, String description) {
  public OptionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
    if (!name.matches("[a-z][a-z0-9.\\-]*")) {
      throw new IllegalArgumentException("option name must be lower-case with dots or dashes: " + name);
    }
    String err = type.check(defaultValue);
    if (!err.isEmpty()) {
      throw new IllegalArgumentException("default '" + defaultValue + "' of " + name + ": " + err);
    }
  }

  public static OptionSpec ofInt(String name, int def, String description) {
    return new OptionSpec(name, OptionType.INT, Integer.toString(def), description);
  }

  public static OptionSpec ofLong(String name, long def, String description) {
    return new OptionSpec(name, OptionType.LONG, Long.toString(def), description);
  }

  public static OptionSpec ofDouble(String name, double def, String description) {
    return new OptionSpec(name, OptionType.DOUBLE, Double.toString(def), description);
  }

  public static OptionSpec ofBoolean(String name, boolean def, String description) {
    return new OptionSpec(name, OptionType.BOOLEAN, Boolean.toString(def), description);
  }

  public static OptionSpec ofString(String name, String def, String description) {
    return new OptionSpec(name, OptionType.STRING, def, description);
  }

  /**
   * A family of keys that start with {@code prefix} (which ends in a dot), passed through as written
   * to a client library: {@code producer.} accepts {@code producer.security.protocol=SASL_SSL} and
   * {@link Options#withPrefix} returns {@code security.protocol=SASL_SSL}. Values are not checked here:
   * the library they are passed to checks them.
   */
  public static OptionSpec ofPrefix(String prefix, String description) {
    if (!prefix.endsWith(".")) {
      throw new IllegalArgumentException("an option prefix ends in a dot: " + prefix);
    }
    return new OptionSpec(prefix, OptionType.STRING, "", description);
  }

  /** Whether this declares a family of pass-through keys ({@link #ofPrefix}). */
  public boolean isPrefix() {
    return name.endsWith(".");
  }
}
