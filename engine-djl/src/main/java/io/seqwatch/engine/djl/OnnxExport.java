package io.seqwatch.engine.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.engine.common.NextActionScorer;
import io.seqwatch.spi.ArtifactWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes DJL-trained networks as ONNX graphs for {@code seqwatch-engine-onnx}.
 *
 * <p>Next-action models ({@code gru}, {@code lstm}): input {@code tokens} (int64 {@code [N,
 * window]}), output {@code log_probs} (float {@code [N, vocabulary]}): Gather (embedding), Transpose
 * to time-major, one ONNX GRU or LSTM node per layer, the last hidden state through Gemm and
 * LogSoftmax. PyTorch's gate blocks are reordered for ONNX: GRU r,z,n becomes z,r,h with {@code
 * linear_before_reset=1}; LSTM i,f,g,o becomes i,o,f,c. The bundle keeps {@code config.bin}
 * unchanged, so the ONNX engine scores with the same windows, aggregation and reasons.
 *
 * <p>Thread-safety: stateless.
 */
final class OnnxExport {
  /** The ONNX graph's file name in an exported bundle. */
  static final String MODEL = "model.onnx";

  private OnnxExport() {}

  static void nextAction(NextActionModel m, ArtifactWriter out) throws IOException {
    NextActionConfig c = m.config();
    if (!(m.net() instanceof NextActionNet net) || c.side()) {
      throw new io.seqwatch.api.ConfigurationException(m.detector() + " has no ONNX export");
    }
    OnnxGraph g = new OnnxGraph("seqwatch-" + m.detector());
    int h = c.hidden();
    g.input("tokens", DataType.INT64, -1, c.window());
    String emb = g.floats("embedding", net.embeddingWeight().getArray().toFloatArray(), c.vocabulary(), c.embedding());
    String x = g.op("Gather", List.of(emb, "tokens"), "axis", 0);
    x = g.op("Transpose", List.of(x), "perm", new long[] {1, 0, 2});
    Map<String, float[]> rnn = parameters(net.rnn());
    boolean gru = c.cell().equals("gru");
    int gates = gru ? 3 : 4;
    // position k of the ONNX order takes PyTorch's gate block order[k]
    int[] order = gru ? new int[] {1, 0, 2} : new int[] {0, 3, 1, 2};
    String axes0 = g.longs("axes0", 0);
    String axes1 = g.longs("axes1", 1);
    String last = null;
    for (int l = 0; l < c.layers(); l++) {
      int in = l == 0 ? c.embedding() : h;
      float[] w = gates(need(rnn, "l_" + l + "_i2h_weight"), order, h, in);
      float[] r = gates(need(rnn, "l_" + l + "_h2h_weight"), order, h, h);
      float[] wb = gates(need(rnn, "l_" + l + "_i2h_bias"), order, h, 1);
      float[] rb = gates(need(rnn, "l_" + l + "_h2h_bias"), order, h, 1);
      float[] b = new float[2 * gates * h];
      System.arraycopy(wb, 0, b, 0, wb.length);
      System.arraycopy(rb, 0, b, wb.length, rb.length);
      String wn = g.floats("w" + l, w, 1, (long) gates * h, in);
      String rn = g.floats("r" + l, r, 1, (long) gates * h, h);
      String bn = g.floats("b" + l, b, 1, 2L * gates * h);
      List<String> y = gru
          ? g.node("GRU", List.of(x, wn, rn, bn), 2, "hidden_size", h, "linear_before_reset", 1)
          : g.node("LSTM", List.of(x, wn, rn, bn), 2, "hidden_size", h);
      x = g.op("Squeeze", List.of(y.get(0), axes1)); // [W, 1, N, H] -> [W, N, H]
      last = y.get(1); // [1, N, H]
    }
    String state = g.op("Squeeze", List.of(last, axes0));
    Map<String, float[]> o = parameters(net.out());
    String ow = g.floats("out_weight", need(o, "weight"), c.vocabulary(), h);
    String ob = g.floats("out_bias", need(o, "bias"), c.vocabulary());
    String logits = g.op("Gemm", List.of(state, ow, ob), "transB", 1);
    String lp = g.op("LogSoftmax", List.of(logits), "axis", 1);
    g.output("log_probs", lp, DataType.FLOAT, -1, c.vocabulary());
    byte[] model = g.model("Seqwatch " + m.detector() + " next-action model: tokens [N, " + c.window()
        + "] -> log_probs [N, " + c.vocabulary() + "]");
    try (OutputStream s = out.create(NextActionScorer.CONFIG)) {
      m.configFile().write(s);
    }
    try (OutputStream s = out.create(MODEL)) {
      s.write(model);
    }
  }

  /** A block's parameters by name, as floats. */
  static Map<String, float[]> parameters(Block b) {
    Map<String, float[]> out = new HashMap<>();
    for (Pair<String, Parameter> p : b.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  private static float[] need(Map<String, float[]> params, String suffix) {
    for (Map.Entry<String, float[]> e : params.entrySet()) {
      String key = e.getKey().toLowerCase(java.util.Locale.ROOT);
      if (key.equals(suffix) || key.endsWith("_" + suffix)) {
        return e.getValue();
      }
    }
    throw new ModelFormatException("ONNX export: no parameter named *" + suffix + " among " + params.keySet());
  }

  /** Reorders the gate blocks ({@code h} rows of {@code cols} each) of a stacked gate matrix. */
  static float[] gates(float[] w, int[] order, int h, int cols) {
    int block = h * cols;
    if (w.length != order.length * block) {
      throw new ModelFormatException("ONNX export: a gate matrix has " + w.length + " values, expected "
          + order.length * block);
    }
    float[] out = new float[w.length];
    for (int k = 0; k < order.length; k++) {
      System.arraycopy(w, order[k] * block, out, k * block, block);
    }
    return out;
  }
}
