package io.seqwatch.core.pipeline;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.registry.Registry;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.Map;

/**
 * Parses threshold specs such as {@code quantile:0.95}, {@code mad:3.5}, {@code max-f1} or {@code
 * target-fpr:0.005}: the provider name, then optionally a colon and the value of its first option.
 *
 * <p>Thread-safety: stateless.
 */
public final class ThresholdSpec {
  private ThresholdSpec() {}

  /**
   * Creates the policy a spec names.
   *
   * @throws ConfigurationException for an unknown policy or a bad value
   */
  public static ThresholdPolicy parse(Registry<ThresholdPolicyProvider> registry, String spec) {
    int i = spec.indexOf(':');
    String name = (i < 0 ? spec : spec.substring(0, i)).trim();
    ThresholdPolicyProvider p = registry.find(name);
    if (i < 0) {
      return p.create(Options.defaults(p.options()));
    }
    if (p.options().isEmpty()) {
      throw new ConfigurationException("threshold policy " + name + " takes no value; write '" + name + "'");
    }
    return p.create(Options.of(p.options(), Map.of(p.options().get(0).name(), spec.substring(i + 1).trim())));
  }
}
