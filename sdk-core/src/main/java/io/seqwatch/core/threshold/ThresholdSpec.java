package io.seqwatch.core.threshold;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.registry.ProviderSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Providers;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.ThresholdPolicyProvider;

/**
 * Parses threshold specs such as {@code quantile:0.95}, {@code mad:3.5}, {@code max-f1}, {@code
 * target-fpr:0.005} or {@code evt:0.01,trim=skewed}, written in the one spec grammar ({@link
 * ProviderSpec}): the provider name, then optionally a colon and comma-separated options, each
 * {@code key=value}; the first may be a bare value of the first option.
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
    ThresholdPolicyProvider p = providers.find(ThresholdPolicyProvider.class, ProviderSpec.nameOf(spec));
    ProviderSpec parsed = ProviderSpec.parse("threshold", spec, p.options());
    return p.create(Options.of(p.options(), parsed.values()), providers);
  }
}
