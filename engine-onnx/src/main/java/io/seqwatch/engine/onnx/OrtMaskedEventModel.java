package io.seqwatch.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventScorer;
import io.seqwatch.engine.common.MaskedEventWindows;
import io.seqwatch.spi.ArtifactWriter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exported {@code masked-transformer} on ONNX Runtime, float32 or with int8 weights: the graph
 * takes a pass's windows, its mask and the cells to predict, and returns each cell's action, gap and
 * category surprise, the expected action and the encoder's states. Windows, passes, aggregation,
 * explanations and embeddings are {@link MaskedEventScorer}'s, shared with engine-djl.
 *
 * <p>Native memory: one {@link OrtSession}, released by {@link #close()}; every pass's tensors are
 * closed before it returns. Thread-safety: safe for concurrent scoring.
 */
final class OrtMaskedEventModel extends MaskedEventScorer {
  static final String MODEL = OrtSessions.MODEL;
  private static final Set<String> CELL_OUTPUTS = Set.of("action_surprise", "gap_surprise", "category_surprise",
      "expected_action", "expected_probability");

  private final OrtSession session;
  private final byte[] onnx;

  private OrtMaskedEventModel(ModelProvenance provenance, MaskedEventConfig config, List<String> tokens, int[] tokenMap,
      OrtSession session, byte[] onnx) {
    super(provenance, config, tokens, tokenMap);
    this.session = session;
    this.onnx = onnx;
  }

  /**
   * Opens a session on the graph and checks its inputs and outputs against the configuration.
   *
   * @throws io.seqwatch.api.ModelFormatException when the bytes are not an ONNX model or do not fit
   */
  static OrtMaskedEventModel open(ModelProvenance provenance, MaskedEventConfig config, List<String> tokens,
      int[] tokenMap, byte[] onnx, OrtSettings settings) {
    String name = provenance.detector();
    OrtSession session = OrtSessions.open(name, onnx, settings);
    for (String in : List.of("tokens", "gaps", "categories", "mask")) {
      OrtSessions.require(session, name, true, in, -1, -1);
    }
    OrtSessions.require(session, name, true, "prices", -1, -1, 2);
    OrtSessions.require(session, name, true, "cells", -1);
    for (String out : CELL_OUTPUTS) {
      OrtSessions.require(session, name, false, out, -1);
    }
    OrtSessions.require(session, name, false, "states", -1, -1, config.width());
    return new OrtMaskedEventModel(provenance, config, tokens, tokenMap, session, onnx);
  }

  @Override
  protected float[][] forward(MaskedEventWindows w, int[] rows, int t, float[] mask) {
    int hidden = MaskedEventWindows.hidden(mask);
    long[] cells = MaskedEventWindows.hiddenCells(mask, cellsPerPass(t)); // padded as on DJL
    return run(w, rows, t, mask, cells, CELL_OUTPUTS, r -> {
      float[] a = floatsOf(r, "action_surprise");
      float[] g = floatsOf(r, "gap_surprise");
      float[] c = floatsOf(r, "category_surprise");
      float[] p = floatsOf(r, "expected_probability");
      long[] expected = new long[cells.length];
      ((OnnxTensor) r.get("expected_action").orElseThrow()).getLongBuffer().get(expected);
      float[][] out = new float[6][hidden];
      for (int i = 0; i < hidden; i++) {
        out[0][i] = a[i] + g[i] + c[i]; // in DJL's order: (action + gap) + category
        out[1][i] = expected[i];
        out[2][i] = p[i];
        out[3][i] = a[i];
        out[4][i] = g[i];
        out[5][i] = c[i];
      }
      return out;
    });
  }

  @Override
  protected float[] states(MaskedEventWindows w, int[] rows, int t) {
    return run(w, rows, t, new float[rows.length * t], new long[] {0}, Set.of("states"), r -> floatsOf(r, "states"));
  }

  private interface Reader<T> {
    T read(OrtSession.Result r) throws OrtException;
  }

  private <T> T run(MaskedEventWindows w, int[] rows, int t, float[] mask, long[] cells, Set<String> outputs,
      Reader<T> reader) {
    MaskedEventWindows.Batch b = w.batch(rows, t);
    long[] shape = {rows.length, t};
    Map<String, OnnxTensor> in = new LinkedHashMap<>();
    try {
      var env = OrtRuntime.environment();
      in.put("tokens", OnnxTensor.createTensor(env, LongBuffer.wrap(b.tokens()), shape));
      in.put("gaps", OnnxTensor.createTensor(env, LongBuffer.wrap(b.gaps()), shape));
      in.put("categories", OnnxTensor.createTensor(env, LongBuffer.wrap(b.categories()), shape));
      in.put("prices", OnnxTensor.createTensor(env, FloatBuffer.wrap(b.prices()), new long[] {rows.length, t, 2}));
      in.put("mask", OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), shape));
      in.put("cells", OnnxTensor.createTensor(env, LongBuffer.wrap(cells), new long[] {cells.length}));
      try (OrtSession.Result r = session.run(in, outputs)) {
        return reader.read(r);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(detector() + ": ONNX Runtime failed to score: " + e.getMessage(), e);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  private static float[] floatsOf(OrtSession.Result r, String name) {
    FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    requireOpen();
    io.seqwatch.engine.common.ExportedGraph.write(out, CONFIG, configFile(), onnx);
  }

  @Override
  protected void release() {
    OrtSessions.close(session);
  }

  @Override
  public String toString() {
    return detector() + " on ONNX Runtime (" + config().shape() + ", " + config().passes() + " passes, "
        + config().aggregate() + ")";
  }
}
