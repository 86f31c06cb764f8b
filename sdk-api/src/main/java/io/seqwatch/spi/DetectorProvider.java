package io.seqwatch.spi;

import java.io.IOException;

/**
 * Creates untrained detectors and restores trained models. Registered in {@code
 * META-INF/services/io.seqwatch.spi.DetectorProvider}.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public interface DetectorProvider extends Provider {
  /** Engine name given to pure-Java detectors. */
  String JVM = "jvm";

  /**
   * The engine that runs this provider's models, for example {@code djl} or {@code onnx}; {@value
   * #JVM} for pure-Java detectors. Two providers may share a {@link #name()} when their engines
   * differ: a bundle records the engine that wrote it and loads with a provider of that engine.
   */
  default String engine() {
    return JVM;
  }

  /**
   * Whether {@link #create} returns detectors that train. Inference-only engines (ONNX Runtime)
   * return false and only {@link #load} models exported by a training engine.
   */
  default boolean canTrain() {
    return true;
  }

  /**
   * The threshold policy spec a pipeline uses when the caller names none (see the threshold
   * policies' names, for example {@code evt:0.01}). A provider overrides it when its scores are
   * known to need another rule; the default, an extreme-value tail of held-out scores at 1 %
   * risk, suits any score.
   */
  default String defaultThreshold() {
    return "evt:0.01";
  }

  /**
   * Options this provider's detectors want from their feature extractor or sequence encoder when
   * the caller sets none, for example {@code token=action+gap} for a next-event model that should
   * see the pace of events. Keys the chosen representation does not declare are ignored; the
   * caller's options win. Empty by default.
   */
  default java.util.Map<String, String> defaultRepresentationOptions() {
    return java.util.Map.of();
  }

  /** Representation the detectors of this provider need. */
  Representation input();

  /** Creates an untrained detector with validated options. */
  Detector create(Options options);

  /**
   * Creates an untrained detector that may use other providers from {@code providers} (the
   * pipeline's). The default ignores them; a provider built on others (an ensemble) overrides it.
   */
  default Detector create(Options options, Providers providers) {
    return create(options);
  }

  /**
   * Restores a model saved by {@link Model#save}.
   *
   * @throws io.seqwatch.api.ModelFormatException when the saved data is corrupt or incompatible
   */
  Model load(ArtifactReader in) throws IOException;

  /**
   * Restores a model that may need other providers from {@code providers} (the loader's). The
   * default ignores them.
   */
  default Model load(ArtifactReader in, Providers providers) throws IOException {
    return load(in);
  }
}
