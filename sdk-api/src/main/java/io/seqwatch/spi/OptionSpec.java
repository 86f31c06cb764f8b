package io.seqwatch.spi;

import java.util.Objects;

/**
 * One declared option of a provider.
 *
 * @param name lower-case key with dots or dashes, for example {@code trees}
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
}
