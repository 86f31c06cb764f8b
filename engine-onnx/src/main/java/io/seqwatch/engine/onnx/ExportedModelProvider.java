package io.seqwatch.engine.onnx;

import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.util.List;

/**
 * What the providers of exported models share: the {@code onnx} engine, no training (with a message
 * that says how to get a model), no options (session settings are {@link OrtSettings}) and a
 * priority below the training engine's, so that with both engines present training picks DJL and a
 * bundle loads with the engine that wrote it.
 *
 * <p>Thread-safety: stateless.
 */
abstract class ExportedModelProvider implements DetectorProvider {
  @Override
  public final String engine() {
    return OrtRuntime.ENGINE_NAME;
  }

  @Override
  public final boolean canTrain() {
    return false;
  }

  @Override
  public final int priority() {
    return -10;
  }

  @Override
  public final List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public final Detector create(Options options) {
    throw OrtProviders.cannotTrain(name());
  }
}
