package io.seqwatch.engine.onnx;

/**
 * {@code transformer} on ONNX Runtime: scores transformer bundles exported from engine-djl, with
 * the attention over the window in the reasons as on DJL.
 *
 * <p>Thread-safety: stateless.
 */
public final class OrtTransformerDetectorProvider extends OrtNextActionDetectorProvider {
  @Override
  String cell() {
    return "transformer";
  }
}
