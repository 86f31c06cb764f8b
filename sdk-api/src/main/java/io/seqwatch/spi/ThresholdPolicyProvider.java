package io.seqwatch.spi;

/**
 * Creates {@link ThresholdPolicy}s. Registered in {@code
 * META-INF/services/io.seqwatch.spi.ThresholdPolicyProvider}. On the command line a policy is written
 * {@code name} or {@code name:value}, where the value sets the provider's first option.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public interface ThresholdPolicyProvider extends Provider {
  /** Creates a policy with validated options. */
  ThresholdPolicy create(Options options);

  /**
   * Creates a policy that may build on other policies from {@code providers} (the pipeline's); the
   * default ignores them.
   */
  default ThresholdPolicy create(Options options, Providers providers) {
    return create(options);
  }
}
