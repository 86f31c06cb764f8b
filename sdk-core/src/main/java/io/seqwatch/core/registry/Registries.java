package io.seqwatch.core.registry;

import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.FeatureExtractorProvider;
import io.seqwatch.spi.SequenceEncoderProvider;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.Objects;

/**
 * One registry per provider kind, discovered together from one class loader.
 *
 * @param detectors detector providers
 * @param featureExtractors feature extractor providers
 * @param encoders sequence encoder providers
 * @param thresholds threshold policy providers
 * @param sinks alert sink providers
 *     <p>Thread-safety: immutable.
 */
public record Registries(
    Registry<DetectorProvider> detectors,
    Registry<FeatureExtractorProvider> featureExtractors,
    Registry<SequenceEncoderProvider> encoders,
    Registry<ThresholdPolicyProvider> thresholds,
    Registry<AlertSinkProvider> sinks) implements io.seqwatch.spi.Providers {
  public Registries {
    Objects.requireNonNull(detectors, "detectors");
    Objects.requireNonNull(featureExtractors, "featureExtractors");
    Objects.requireNonNull(encoders, "encoders");
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(sinks, "sinks");
  }

  /** The registry of providers of {@code kind}. */
  private Registry<?> of(Class<? extends io.seqwatch.spi.Provider> kind) {
    if (kind == DetectorProvider.class) {
      return detectors;
    } else if (kind == FeatureExtractorProvider.class) {
      return featureExtractors;
    } else if (kind == SequenceEncoderProvider.class) {
      return encoders;
    } else if (kind == ThresholdPolicyProvider.class) {
      return thresholds;
    } else if (kind == AlertSinkProvider.class) {
      return sinks;
    }
    throw new IllegalArgumentException("not a provider kind: " + kind.getName());
  }

  @Override
  public <P extends io.seqwatch.spi.Provider> java.util.Optional<P> lookup(Class<P> kind, String name) {
    return of(kind).lookup(name).map(kind::cast);
  }

  @Override
  public java.util.List<String> names(Class<? extends io.seqwatch.spi.Provider> kind) {
    return of(kind).names();
  }

  /** The registry's own lookup, with its messages (the providers found, the artifact to add). */
  @Override
  public <P extends io.seqwatch.spi.Provider> P find(Class<P> kind, String name) {
    return kind.cast(of(kind).find(name));
  }

  /** Discovers every kind with the context class loader. */
  public static Registries discover() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return discover(cl != null ? cl : Registries.class.getClassLoader());
  }

  /** Discovers every kind visible to {@code loader}. */
  public static Registries discover(ClassLoader loader) {
    return new Registries(
        Registry.load(ProviderKind.DETECTOR, loader, System::getenv),
        Registry.load(ProviderKind.FEATURE_EXTRACTOR, loader, System::getenv),
        Registry.load(ProviderKind.ENCODER, loader, System::getenv),
        Registry.load(ProviderKind.THRESHOLD, loader, System::getenv),
        Registry.load(ProviderKind.ALERT_SINK, loader, System::getenv));
  }
}
