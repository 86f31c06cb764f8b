package io.seqwatch.core.threshold;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Providers;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses threshold specs such as {@code quantile:0.95}, {@code mad:3.5}, {@code max-f1}, {@code
 * target-fpr:0.005} or {@code evt:0.01,trim=skewed}: the provider name, then optionally a colon and
 * comma-separated options, each {@code key=value}; the first may be a bare value of the first
 * option.
 *
 * <p>Thread-safety: stateless.
 */
public final class ThresholdSpec {
  private ThresholdSpec() {}

  /**
   * Creates the policy a spec names, found in {@code providers} (a pipeline's registries); a policy
   * built on another (per-segment) finds that one there too.
   *
   * @throws ConfigurationException for an unknown policy or a bad value
   */
  public static ThresholdPolicy parse(Providers providers, String spec) {
    int i = spec.indexOf(':');
    String name = (i < 0 ? spec : spec.substring(0, i)).trim();
    ThresholdPolicyProvider p = providers.find(ThresholdPolicyProvider.class, name);
    if (i < 0) {
      return p.create(Options.defaults(p.options()), providers);
    }
    if (p.options().isEmpty()) {
      throw new ConfigurationException("threshold policy " + name + " takes no value; write '" + name + "'");
    }
    Map<String, String> given = new LinkedHashMap<>();
    String rest = spec.substring(i + 1);
    // without any key=value the whole rest is one bare value, which may hold a comma (per-segment:key-prefix:,)
    String[] parts = rest.indexOf('=') < 0 ? new String[] {rest} : rest.split(",", -1);
    for (int k = 0; k < parts.length; k++) {
      String part = parts[k].trim();
      int eq = part.indexOf('=');
      String key = eq < 0 && k == 0 ? p.options().get(0).name() : eq < 0 ? null : part.substring(0, eq).trim();
      if (key == null || key.isEmpty()) {
        throw new ConfigurationException("threshold spec '" + spec + "': '" + part + "' is not key=value; write "
            + "for example " + name + ":" + p.options().get(0).name() + "=" + p.options().get(0).defaultValue());
      }
      if (given.put(key, eq < 0 ? part : part.substring(eq + 1).trim()) != null) {
        throw new ConfigurationException("threshold spec '" + spec + "' gives option " + key + " twice");
      }
    }
    return p.create(Options.of(p.options(), given), providers);
  }
}
