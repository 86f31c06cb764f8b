package io.seqwatch.core.registry;

import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.FeatureExtractorProvider;
import io.seqwatch.spi.Provider;
import io.seqwatch.spi.SequenceEncoderProvider;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.Locale;
import java.util.function.Function;

/**
 * The kinds of provider Seqwatch discovers, with the words used in messages, system properties
 * ({@code -Dseqwatch.<key>}) and environment variables ({@code SEQWATCH_<KEY>}).
 *
 * @param <P> provider interface
 *     <p>Thread-safety: immutable.
 */
public final class ProviderKind<P extends Provider> {
  public static final ProviderKind<DetectorProvider> DETECTOR =
      new ProviderKind<>(
          DetectorProvider.class, "detector", "detector",
          "a detector plugin such as io.seqwatch:seqwatch-plugin-forest", DetectorProvider::engine);
  public static final ProviderKind<FeatureExtractorProvider> FEATURE_EXTRACTOR =
      new ProviderKind<>(
          FeatureExtractorProvider.class, "features", "feature extractor",
          "io.seqwatch:seqwatch-sdk-core");
  public static final ProviderKind<SequenceEncoderProvider> ENCODER =
      new ProviderKind<>(
          SequenceEncoderProvider.class, "encoder", "sequence encoder",
          "io.seqwatch:seqwatch-sdk-core");
  public static final ProviderKind<ThresholdPolicyProvider> THRESHOLD =
      new ProviderKind<>(
          ThresholdPolicyProvider.class, "threshold", "threshold policy",
          "io.seqwatch:seqwatch-sdk-core");
  public static final ProviderKind<AlertSinkProvider> ALERT_SINK =
      new ProviderKind<>(
          AlertSinkProvider.class, "sink", "alert sink", "io.seqwatch:seqwatch-sdk-core");

  private final Class<P> type;
  private final String key;
  private final String noun;
  private final String artifactHint;
  private final Function<P, String> variant;

  private ProviderKind(Class<P> type, String key, String noun, String artifactHint) {
    this(type, key, noun, artifactHint, p -> "");
  }

  private ProviderKind(Class<P> type, String key, String noun, String artifactHint, Function<P, String> variant) {
    this.type = type;
    this.key = key;
    this.noun = noun;
    this.artifactHint = artifactHint;
    this.variant = variant;
  }

  /**
   * What lets two providers share a name: the engine of a detector provider ({@code jvm}, {@code
   * djl}, {@code onnx}); empty for the other kinds, whose names are unique.
   */
  public String variantOf(P provider) {
    return variant.apply(provider);
  }

  /** The provider interface. */
  public Class<P> type() {
    return type;
  }

  /** Short key: system property {@code seqwatch.<key>}, environment {@code SEQWATCH_<KEY>}. */
  public String key() {
    return key;
  }

  /** Words for messages, for example {@code detector}. */
  public String noun() {
    return noun;
  }

  /** Which artifact to add when none is found. */
  public String artifactHint() {
    return artifactHint;
  }

  /** System property that selects a provider by name. */
  public String systemProperty() {
    return "seqwatch." + key;
  }

  /** Environment variable that selects a provider by name. */
  public String environmentVariable() {
    return "SEQWATCH_" + key.toUpperCase(Locale.ROOT);
  }
}
