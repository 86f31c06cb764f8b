package io.seqwatch.engine.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ConfigurationException;
import java.util.Locale;

/**
 * ONNX Runtime session settings, read from system properties when a bundle loads:
 * {@code seqwatch.onnx.intra-threads} (default 1: on two shared cores one thread was fastest),
 * {@code seqwatch.onnx.inter-threads} (default 1), {@code seqwatch.onnx.optimization} ({@code none},
 * {@code basic}, {@code extended} or {@code all}, default {@code all}) and {@code seqwatch.onnx.device}
 * ({@code cpu}, default, or {@code cuda}, which needs the {@code com.microsoft.onnxruntime:onnxruntime_gpu}
 * artifact in place of {@code onnxruntime}).
 *
 * @param intraThreads threads inside one operator
 * @param interThreads threads across operators
 * @param optimization graph optimisation level
 * @param device {@code cpu} or {@code cuda}
 *     <p>Thread-safety: immutable.
 */
public record OrtSettings(int intraThreads, int interThreads, String optimization, String device) {
  public OrtSettings {
    if (intraThreads < 1 || interThreads < 1) {
      throw new ConfigurationException("ONNX Runtime threads must be at least 1: intra " + intraThreads
          + ", inter " + interThreads);
    }
    optimization = optimization.toLowerCase(Locale.ROOT);
    device = device.toLowerCase(Locale.ROOT);
    if (!java.util.List.of("none", "basic", "extended", "all").contains(optimization)) {
      throw new ConfigurationException("seqwatch.onnx.optimization=" + optimization + " is not none, basic, extended or all");
    }
    if (!java.util.List.of("cpu", "cuda").contains(device)) {
      throw new ConfigurationException("seqwatch.onnx.device=" + device + " is not cpu or cuda");
    }
  }

  /** The settings from system properties, with the defaults above. */
  public static OrtSettings fromSystemProperties() {
    return new OrtSettings(intProperty("seqwatch.onnx.intra-threads", 1), intProperty("seqwatch.onnx.inter-threads", 1),
        System.getProperty("seqwatch.onnx.optimization", "all"), System.getProperty("seqwatch.onnx.device", "cpu"));
  }

  private static int intProperty(String key, int fallback) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key + "=" + v + " is not a whole number", e);
    }
  }

  /** Session options for these settings; the caller closes them. */
  OrtSession.SessionOptions sessionOptions() {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    try {
      o.setIntraOpNumThreads(intraThreads);
      o.setInterOpNumThreads(interThreads);
      o.setOptimizationLevel(switch (optimization) {
        case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        default -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      if (device.equals("cuda")) {
        try {
          o.addCUDA();
        } catch (OrtException | RuntimeException e) {
          throw new ConfigurationException("seqwatch.onnx.device=cuda but ONNX Runtime has no CUDA execution provider ("
              + e.getMessage() + "); replace com.microsoft.onnxruntime:onnxruntime by onnxruntime_gpu on a machine "
              + "with CUDA, or use seqwatch.onnx.device=cpu", e);
        }
      }
      return o;
    } catch (OrtException e) {
      o.close();
      throw new ConfigurationException("ONNX Runtime rejected the session settings " + this + ": " + e.getMessage(), e);
    }
  }
}
