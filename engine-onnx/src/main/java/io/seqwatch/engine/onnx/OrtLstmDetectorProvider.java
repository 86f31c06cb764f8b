package io.seqwatch.engine.onnx;

/**
 * {@code lstm} on ONNX Runtime: scores lstm bundles exported from engine-djl.
 *
 * <p>Thread-safety: stateless.
 */
public final class OrtLstmDetectorProvider extends OrtNextActionDetectorProvider {
  @Override
  String cell() {
    return "lstm";
  }
}
