package io.seqwatch.engine.onnx;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.ArtifactReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * What every ONNX Runtime provider shares: the refusal to train, provenance naming the engine that
 * scores, and reading the graph file.
 *
 * <p>Thread-safety: stateless.
 */
final class OrtProviders {
  private OrtProviders() {}

  static ConfigurationException cannotTrain(String name) {
    return new ConfigurationException("the ONNX Runtime engine scores exported models but does not train: train '"
        + name + "' with io.seqwatch:seqwatch-engine-djl on the class path, then export it with "
        + "'seqwatch export --to onnx' (FittedPipeline.export)");
  }

  /** The training provenance with the engine that now scores it. */
  static ModelProvenance scoredHere(ModelProvenance trained) {
    return new ModelProvenance(trained.detector(), trained.detectorVersion(), trained.options(),
        OrtRuntime.version() + " (exported from " + trained.engine() + ")", trained.seed(), trained.trainingSummary(),
        trained.trainedAt());
  }

  /** The bytes of {@code model.onnx}. */
  static byte[] graph(ArtifactReader in, String detector) throws IOException {
    if (!in.contains(OrtSessions.MODEL)) {
      throw new ModelFormatException(detector + " ONNX model: " + OrtSessions.MODEL + " is missing from the bundle");
    }
    try (InputStream s = in.open(OrtSessions.MODEL)) {
      return s.readAllBytes();
    }
  }
}
