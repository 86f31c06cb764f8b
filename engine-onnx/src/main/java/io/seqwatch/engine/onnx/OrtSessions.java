package io.seqwatch.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.seqwatch.api.ModelFormatException;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening, checking and closing ONNX Runtime sessions for every model of this engine.
 *
 * <p>Thread-safety: stateless.
 */
final class OrtSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);
  /** The ONNX graph's file name in a bundle. */
  static final String MODEL = io.seqwatch.engine.common.ExportedGraph.FILE;

  private OrtSessions() {}

  /**
   * A session on the graph.
   *
   * @throws ModelFormatException when the bytes are not an ONNX model ONNX Runtime can run
   */
  static OrtSession open(String detector, byte[] onnx, OrtSettings settings) {
    try (OrtSession.SessionOptions options = settings.sessionOptions()) {
      return OrtRuntime.environment().createSession(onnx, options);
    } catch (OrtException e) {
      throw new ModelFormatException(detector + " model: " + MODEL + " (" + onnx.length
          + " bytes) is not a valid ONNX model: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the session has a tensor input or output {@code name} of {@code shape} (-1 matches
   * any size, for the batch dimension); closes the session and throws otherwise.
   */
  static void require(OrtSession session, String detector, boolean input, String name, long... shape) {
    try {
      Map<String, NodeInfo> info = input ? session.getInputInfo() : session.getOutputInfo();
      String what = input ? "input" : "output";
      NodeInfo n = info.get(name);
      if (n == null || !(n.getInfo() instanceof TensorInfo t)) {
        throw new ModelFormatException(detector + " model: " + MODEL + " has no tensor " + what + " '" + name
            + "' (it has " + info.keySet() + ")");
      }
      long[] actual = t.getShape();
      boolean ok = actual.length == shape.length;
      for (int i = 0; ok && i < shape.length; i++) {
        ok = shape[i] < 0 || actual[i] == shape[i];
      }
      if (!ok) {
        throw new ModelFormatException(detector + " model: " + MODEL + " " + what + " '" + name + "' has shape "
            + Arrays.toString(actual) + " but the bundle's configuration needs " + Arrays.toString(shape)
            + " (-1: any)");
      }
    } catch (OrtException | ModelFormatException e) {
      close(session);
      throw e instanceof ModelFormatException m ? m
          : new ModelFormatException(detector + " model: " + MODEL + ": " + e.getMessage(), e);
    }
  }

  /** Closes a session, logging rather than throwing. */
  static void close(OrtSession s) {
    try {
      s.close();
    } catch (OrtException | RuntimeException e) {
      LOG.warn("closing an ONNX Runtime session failed: {}", e.toString());
    }
  }
}
