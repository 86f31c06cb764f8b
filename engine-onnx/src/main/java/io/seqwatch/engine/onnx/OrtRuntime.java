package io.seqwatch.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.seqwatch.api.ConfigurationException;

/**
 * The process-wide ONNX Runtime environment, created on first use (holder class), so the natives
 * load when the first exported bundle loads, not when the provider is discovered.
 *
 * <p>Thread-safety: safe from any thread.
 */
final class OrtRuntime {
  /** The engine name this module's providers report. */
  static final String ENGINE_NAME = "onnx";

  private OrtRuntime() {}

  private static final class Holder {
    static final OrtEnvironment ENV = load();

    private static OrtEnvironment load() {
      try {
        return OrtEnvironment.getEnvironment();
      } catch (RuntimeException | LinkageError e) {
        throw new ConfigurationException("ONNX Runtime failed to start: " + e.getMessage()
            + ". Make sure com.microsoft.onnxruntime:onnxruntime (which bundles the CPU natives) is on the class path.", e);
      }
    }
  }

  static OrtEnvironment environment() {
    return Holder.ENV;
  }

  /** The ONNX Runtime version, for provenance. */
  static String version() {
    return "onnxruntime " + environment().getVersion();
  }
}
