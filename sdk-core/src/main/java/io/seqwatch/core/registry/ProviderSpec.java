package io.seqwatch.core.registry;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.OptionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one grammar of spec strings: a name, then optionally a colon and comma-separated {@code
 * key=value} options, the first of which may be a bare value of the first declared option. Threshold
 * policies ({@code quantile:0.95}, {@code evt:0.01,trim=skewed}, {@code max-f1}), screens ({@code
 * isolation-forest:0.05}, the bare value being the share) and groupings ({@code gap:30m}) are all
 * written in it. Without any '=' the whole rest is one bare value, so a value may hold a comma or a
 * colon ({@code per-segment:key-prefix:,}). {@link #toString()} prints a spec that parses back to an
 * equal one.
 *
 * @param name what the spec names (a provider, a grouping)
 * @param values the options given, in the order written
 *     <p>Thread-safety: immutable.
 */
public record ProviderSpec(String name, Map<String, String> values) {
  public ProviderSpec {
    Objects.requireNonNull(name, "name");
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The name a spec starts with (before any colon), trimmed. */
  public static String nameOf(String spec) {
    int i = Objects.requireNonNull(spec, "spec").indexOf(':');
    return (i < 0 ? spec : spec.substring(0, i)).trim();
  }

  /**
   * Parses {@code spec} against the options its name declares.
   *
   * @param what what the spec is, for messages ("threshold", "screen")
   * @param declared the named thing's options; the first takes a bare value
   * @throws ConfigurationException for a value where none is declared, a part that is not
   *     key=value after the first, or an option given twice
   */
  public static ProviderSpec parse(String what, String spec, List<OptionSpec> declared) {
    String name = nameOf(spec);
    int i = spec.indexOf(':');
    Map<String, String> given = new LinkedHashMap<>();
    if (i < 0) {
      return new ProviderSpec(name, given);
    }
    if (declared.isEmpty()) {
      throw new ConfigurationException(what + " spec '" + spec + "': " + name + " takes no value; write '" + name + "'");
    }
    String rest = spec.substring(i + 1);
    String[] parts = rest.indexOf('=') < 0 ? new String[] {rest} : rest.split(",", -1);
    for (int k = 0; k < parts.length; k++) {
      String part = parts[k].trim();
      int eq = part.indexOf('=');
      String key = eq < 0 && k == 0 ? declared.get(0).name() : eq < 0 ? null : part.substring(0, eq).trim();
      if (key == null || key.isEmpty()) {
        throw new ConfigurationException(what + " spec '" + spec + "': '" + part + "' is not key=value; write "
            + "for example " + name + ":" + declared.get(0).name() + "=" + declared.get(0).defaultValue());
      }
      if (given.put(key, eq < 0 ? part : part.substring(eq + 1).trim()) != null) {
        throw new ConfigurationException(what + " spec '" + spec + "' gives option " + key + " twice");
      }
    }
    return new ProviderSpec(name, given);
  }

  /** {@code name}, or {@code name:key=value,...}: a spec that parses back to this one. */
  @Override
  public String toString() {
    if (values.isEmpty()) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append(':');
    values.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == ':' ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }
}
