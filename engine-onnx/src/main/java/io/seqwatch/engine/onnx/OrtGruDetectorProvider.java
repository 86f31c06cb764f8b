package io.seqwatch.engine.onnx;

/**
 * {@code gru} on ONNX Runtime: scores gru bundles exported from engine-djl.
 *
 * <p>Thread-safety: stateless.
 */
public final class OrtGruDetectorProvider extends OrtNextActionDetectorProvider {
  @Override
  String cell() {
    return "gru";
  }
}
