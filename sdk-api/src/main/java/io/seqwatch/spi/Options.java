package io.seqwatch.spi;

import io.seqwatch.api.ConfigurationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Option values checked against a provider's {@link OptionSpec}s, defaults filled in.
 *
 * <pre>{@code
 * Options o = Options.of(provider.options(), Map.of("trees", "200"));
 * int trees = o.getInt("trees");
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class Options {
  private final Map<String, OptionSpec> specs;
  private final Map<String, String> values;

  private Options(Map<String, OptionSpec> specs, Map<String, String> values) {
    this.specs = specs;
    this.values = values;
  }

  /**
   * Validates {@code given} against {@code specs}.
   *
   * @throws ConfigurationException naming an unknown key (with the known ones) or a bad value
   */
  public static Options of(List<OptionSpec> specs, Map<String, String> given) {
    Map<String, OptionSpec> byName = new LinkedHashMap<>();
    for (OptionSpec s : specs) {
      byName.put(s.name(), s);
    }
    Map<String, String> passed = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      OptionSpec spec = byName.get(e.getKey());
      if (spec != null && spec.isPrefix()) {
        throw new ConfigurationException("option '" + e.getKey() + "' is a prefix: give whole keys such as '"
            + e.getKey() + "<setting>'");
      }
      if (spec == null) {
        String family = byName.keySet().stream()
            .filter(n -> n.endsWith(".") && e.getKey().startsWith(n) && e.getKey().length() > n.length())
            .findFirst().orElse(null);
        if (family != null) {
          passed.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()).trim());
          continue;
        }
      }
      if (spec == null) {
        throw new ConfigurationException(
            "unknown option '"
                + e.getKey()
                + "'; known options: "
                + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())));
      }
      String err = spec.type().check(Objects.requireNonNull(e.getValue(), e.getKey()));
      if (!err.isEmpty()) {
        throw new ConfigurationException(
            "option " + e.getKey() + "=" + e.getValue() + " is invalid: " + err);
      }
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    for (OptionSpec s : specs) {
      if (!s.isPrefix()) {
        resolved.put(s.name(), given.getOrDefault(s.name(), s.defaultValue()).trim());
      }
    }
    resolved.putAll(passed);
    return new Options(
        Collections.unmodifiableMap(byName), Collections.unmodifiableMap(resolved));
  }

  /** Options with every default. */
  public static Options defaults(List<OptionSpec> specs) {
    return of(specs, Map.of());
  }

  /**
   * The pass-through keys given under {@code prefix} (declared with {@link OptionSpec#ofPrefix}),
   * with the prefix removed, in key order.
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** All resolved values, defaults included, in declaration order (then pass-through keys). */
  public Map<String, String> asMap() {
    return values;
  }

  public String getString(String name) {
    return raw(name);
  }

  public int getInt(String name) {
    return Integer.parseInt(raw(name));
  }

  public long getLong(String name) {
    return Long.parseLong(raw(name));
  }

  public double getDouble(String name) {
    return Double.parseDouble(raw(name));
  }

  public boolean getBoolean(String name) {
    return Boolean.parseBoolean(raw(name));
  }

  /**
   * An int that must lie in [{@code min}, {@code max}].
   *
   * @throws ConfigurationException when outside
   */
  public int getInt(String name, int min, int max) {
    int v = getInt(name);
    if (v < min || v > max) {
      throw new ConfigurationException(
          "option " + name + "=" + v + " is out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  /**
   * A double that must lie in [{@code min}, {@code max}].
   *
   * @throws ConfigurationException when outside
   */
  public double getDouble(String name, double min, double max) {
    double v = getDouble(name);
    if (v < min || v > max) {
      throw new ConfigurationException(
          "option " + name + "=" + v + " is out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  private String raw(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new ConfigurationException(
          "option '" + name + "' is not declared; declared: " + String.join(", ", specs.keySet()));
    }
    return v;
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
