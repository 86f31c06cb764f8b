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

  /**
   * Creates an extractor for training data, deciding what the options leave to the data (the
   * extractor reports what it decided in {@link FeatureExtractor#fittedOptions()}). By default the
   * data changes nothing: {@link #create}.
   */
  default FeatureExtractor fit(Options options, java.util.List<io.seqwatch.api.BehaviorSequence> training) {
    return create(options);
  }

  /**
   * Recreates a fitted extractor from its options (the fitted ones included) and what its {@link
   * FeatureExtractor#save} wrote. By default {@link #create}.
   *
   * @throws io.seqwatch.api.ModelFormatException when the saved files are missing or damaged
   */
  default FeatureExtractor load(Options options, ArtifactReader in) throws java.io.IOException {
    return create(options);
  }
}
