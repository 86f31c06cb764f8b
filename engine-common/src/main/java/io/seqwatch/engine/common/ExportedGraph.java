package io.seqwatch.engine.common;

import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.support.Parameters;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The files of a model exported as an ONNX graph: its settings file and the graph, written by the
 * exporter (engine-djl) and written back by the model that loaded them (engine-onnx).
 *
 * <p>Thread-safety: stateless.
 */
public final class ExportedGraph {
  /** The ONNX graph's file name in a bundle. */
  public static final String FILE = "model.onnx";

  private ExportedGraph() {}

  /** Writes {@code settings} as {@code settingsFile} and the graph as {@link #FILE}. */
  public static void write(ArtifactWriter out, String settingsFile, Parameters settings, byte[] graph) throws IOException {
    try (OutputStream s = out.create(settingsFile)) {
      settings.write(s);
    }
    try (OutputStream s = out.create(FILE)) {
      s.write(graph);
    }
  }
}
