package io.seqwatch.spi;

import java.io.IOException;
import java.util.Set;

/**
 * A trained {@link Model} that can write itself for another engine, for example a DJL-trained
 * network as an ONNX graph. The exported files are loaded by the {@link DetectorProvider} with the
 * same {@link DetectorProvider#name() name} whose {@link DetectorProvider#engine() engine} is the
 * target, and score the same sequences the same (within float rounding).
 *
 * <pre>{@code
 * if (model instanceof Exportable e && e.exportTargets().contains("onnx")) {
 *   e.export("onnx", writer);
 * }
 * }</pre>
 *
 * <p>Thread-safety: as the model's {@link Model#save}.
 */
public interface Exportable {
  /** Engines this model can be exported to, for example {@code onnx}. */
  Set<String> exportTargets();

  /**
   * The engine whose provider loads an export to {@code target}: the target itself unless a
   * target is a variant of an engine's format (for example {@code onnx-int8}, quantised weights for
   * the {@code onnx} engine).
   */
  default String engine(String target) {
    return target;
  }

  /**
   * Writes everything the target engine's provider needs to load this model.
   *
   * @throws io.seqwatch.api.ConfigurationException when {@code target} is not in {@link #exportTargets()}
   */
  void export(String target, ArtifactWriter out) throws IOException;
}
