package io.seqwatch.spi;

/**
 * Creates {@link FeatureExtractor}s. Registered in {@code
 * META-INF/services/io.seqwatch.spi.FeatureExtractorProvider}.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public interface FeatureExtractorProvider extends Provider {
  /** Creates an extractor with validated options. */
  FeatureExtractor create(Options options);
}
