package io.seqwatch.engine.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.seqwatch.engine.common.ExportedGraph;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventScorer;
import io.seqwatch.spi.ArtifactWriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code masked-transformer} as an ONNX graph for seqwatch-engine-onnx.
 *
 * <p>Inputs: {@code tokens}, {@code gaps}, {@code categories} (int64 {@code [N, T]}), {@code
 * prices} (float {@code [N, T, 2]}), {@code mask} (float {@code [N, T]}, 1 = hidden) and {@code
 * cells} (int64 {@code [K]}, the flat indices {@code n * T + t} of the cells to predict). Outputs:
 * {@code action_surprise}, {@code gap_surprise}, {@code category_surprise} (float {@code [K]}, nats;
 * category 0 where an event has none), {@code expected_action} (int64 {@code [K]}) and its {@code
 * expected_probability}, and the encoder's {@code states} (float {@code [N, T, width]}). {@code T}
 * may be anything up to the window; the position table is sliced to it.
 *
 * <p>With {@code int8}, the linear layers over the model width (attention, feed-forward and the
 * three heads; not the two-input price projection) hold their weights as int8, symmetric per output
 * column, and quantise their input per pass (DynamicQuantizeLinear, MatMulInteger, then the two
 * scales): what ONNX Runtime's dynamic quantisation writes, which its optimiser fuses into one
 * integer matrix product. Between the attention products the events are rows {@code [N * T,
 * width]}, so that every linear layer is one 2-D product with its bias fused (Gemm, or the int8
 * kernel): on the Taobao bench's passes this made the float32 graph 1.7x faster than 3-D MatMul +
 * Add. Layer norms are spelled out for opset 13 as in {@link OnnxExport}: ONNX Runtime 1.29's
 * LayerNormalization kernel (opset 17) was slower here on rows of 64 (16.5 vs 13.5 ms a pass).
 *
 * <p>Thread-safety: stateless.
 */
final class MaskedEventExport {
  private MaskedEventExport() {}

  static void write(MaskedEventModel m, boolean int8, ArtifactWriter out) throws IOException {
    ExportedGraph.write(out, MaskedEventScorer.CONFIG, m.configFile(), graph(m.net(), m.config(), int8));
  }

  static byte[] graph(MaskedEventNet net, MaskedEventConfig c, boolean int8) {
    int width = c.width();
    int heads = c.heads();
    int d = width / heads;
    OnnxGraph g = new OnnxGraph("seqwatch-masked-transformer");
    for (String in : List.of("tokens", "gaps", "categories")) {
      g.input(in, DataType.INT64, -1, -2);
    }
    g.input("prices", DataType.FLOAT, -1, -2, 2);
    g.input("mask", DataType.FLOAT, -1, -2);
    g.input("cells", DataType.INT64, -3);
    List<Parameter> tables = net.tables();
    String[] ids = {"tokens", "gaps", "categories"};
    String content = null;
    for (int i = 0; i < 3; i++) {
      float[] table = tables.get(i).getArray().toFloatArray();
      String e = g.op("Gather", List.of(g.floats("emb_" + ids[i], table, table.length / width, width), ids[i]), "axis", 0);
      content = content == null ? e : g.op("Add", List.of(content, e));
    }
    content = g.op("Add", List.of(content, OnnxExport.linear(g, net.child("price"), "price", "prices", 2, width)));
    String length = g.op("Gather", List.of(g.op("Shape", List.of("tokens")), g.longs("axis_t", 1))); // [1]: T
    String positions = g.op("Slice", List.of(g.floats("positions", tables.get(3).getArray().toFloatArray(), c.window(),
        width), g.longs("zero_start", 0), length, g.longs("axis_0", 0))); // [T, M]
    String hidden = g.op("Unsqueeze", List.of("mask", g.longs("axis_2", 2))); // [N, T, 1]
    String shown = g.op("Sub", List.of(g.floats("one", new float[] {1f}), hidden));
    String x = g.op("Add", List.of(g.op("Add", List.of(g.op("Mul", List.of(content, shown)),
        g.op("Mul", List.of(hidden, g.floats("mask_vector", tables.get(4).getArray().toFloatArray(), 1, width))))),
        positions));
    String pad = g.op("Mul", List.of(g.op("Cast", List.of(g.op("Equal", List.of("tokens", g.longs("zero", 0)))), "to",
        DataType.FLOAT.getNumber()), g.floats("minus_big", new float[] {-1e9f})));
    pad = g.op("Unsqueeze", List.of(pad, g.longs("axes_1_2", 1, 2))); // [N, 1, 1, T]
    String scale = g.floats("inv_sqrt_d", new float[] {(float) (1 / Math.sqrt(d))});
    // the events as rows [N * T, M] between the attention products: every linear layer is then one
    // 2-D product with its bias fused (Gemm, or the int8 kernel)
    String rows = g.longs("shape_rows", -1, width);
    x = g.op("Reshape", List.of(x, rows));
    String minusOne = g.longs("minus_one", -1);
    String qkvShape = g.op("Concat", List.of(minusOne, length, g.longs("shape_3hd", 3, heads, d)), "axis", 0);
    String statesShape = g.op("Concat", List.of(minusOne, length, g.longs("shape_m", width)), "axis", 0);
    for (int l = 0; l < net.layers(); l++) {
      String a = OnnxExport.layerNorm(g, net.child("attention_norm_" + l), "attention_norm_" + l, x);
      String qkv = g.op("Transpose", List.of(g.op("Reshape", List.of(linear(g, net, "qkv_" + l, a, width, 3 * width, int8),
          qkvShape))), "perm", new long[] {2, 0, 3, 1, 4}); // [3, N, H, T, d]
      String q = g.op("Gather", List.of(qkv, g.scalar("qkv_" + l + "_q", 0)), "axis", 0);
      String k = g.op("Gather", List.of(qkv, g.scalar("qkv_" + l + "_k", 1)), "axis", 0);
      String v = g.op("Gather", List.of(qkv, g.scalar("qkv_" + l + "_v", 2)), "axis", 0);
      String scores = g.op("Add", List.of(g.op("Mul", List.of(g.op("MatMul", List.of(q,
          g.op("Transpose", List.of(k), "perm", new long[] {0, 1, 3, 2}))), scale)), pad));
      String attention = g.op("Softmax", List.of(scores), "axis", 3);
      String context = g.op("Reshape", List.of(g.op("Transpose", List.of(g.op("MatMul", List.of(attention, v))), "perm",
          new long[] {0, 2, 1, 3}), rows));
      x = g.op("Add", List.of(x, linear(g, net, "project_" + l, context, width, width, int8)));
      String f = g.op("Relu", List.of(linear(g, net, "ff1_" + l,
          OnnxExport.layerNorm(g, net.child("feed_norm_" + l), "feed_norm_" + l, x), width, 4 * width, int8)));
      x = g.op("Add", List.of(x, linear(g, net, "ff2_" + l, f, 4 * width, width, int8)));
    }
    String states = OnnxExport.layerNorm(g, net.child("norm"), "norm", x);
    g.output("states", g.op("Reshape", List.of(states, statesShape)), DataType.FLOAT, -1, -2, width);
    String read = g.op("Gather", List.of(states, "cells"), "axis", 0); // [K, M]
    String column = g.longs("shape_column", -1, 1);
    String flat = g.longs("shape_flat", -1);
    Map<String, String> heads3 = new java.util.LinkedHashMap<>();
    heads3.put("action", "tokens");
    heads3.put("gap", "gaps");
    heads3.put("category", "categories");
    int[] classes = {c.vocabulary().size(), c.gapBuckets(), c.categoryBuckets()};
    int h = 0;
    for (Map.Entry<String, String> e : heads3.entrySet()) {
      String logProbs = g.op("LogSoftmax", List.of(linear(g, net, e.getKey() + "_out", read, width, classes[h++], int8)),
          "axis", 1);
      String target = g.op("Gather", List.of(g.op("Reshape", List.of(e.getValue(), flat)), "cells"), "axis", 0); // [K]
      String surprise = g.op("Neg", List.of(g.op("Reshape", List.of(g.op("GatherElements", List.of(logProbs,
          g.op("Reshape", List.of(target, column))), "axis", 1), flat))));
      if (e.getKey().equals("category")) { // no category: no category surprise
        surprise = g.op("Mul", List.of(surprise, OnnxExport.present(g, target, "zero_category")));
      }
      g.output(e.getKey() + "_surprise", surprise, DataType.FLOAT, -3);
      if (e.getKey().equals("action")) {
        g.output("expected_action", g.op("ArgMax", List.of(logProbs), "axis", 1, "keepdims", 0), DataType.INT64, -3);
        g.output("expected_probability", g.op("Exp", List.of(g.op("ReduceMax", List.of(logProbs), "axes", new long[] {1},
            "keepdims", 0))), DataType.FLOAT, -3);
      }
    }
    return g.model("Seqwatch masked-transformer (" + c.shape() + (int8 ? ", int8 weights" : "") + "): tokens, gaps, "
        + "categories, mask [N, T], prices [N, T, 2], cells [K] -> action_surprise, gap_surprise, category_surprise, "
        + "expected_action, expected_probability [K], states [N, T, " + width + "]");
  }

  /** A linear layer of the network over rows {@code x} ({@code [rows, in]}): float32 Gemm, or int8 weights when {@code int8}. */
  private static String linear(OnnxGraph g, MaskedEventNet net, String name, String x, int in, int units, boolean int8) {
    Map<String, float[]> p = OnnxExport.parameters(net.child(name));
    float[] w = OnnxExport.need(p, "weight"); // [units, in]
    if (!int8) {
      return g.op("Gemm", List.of(x, g.floats(name + "_w", w, units, in), g.floats(name + "_b", OnnxExport.need(p, "bias"),
          units)), "transB", 1);
    }
    byte[] q = new byte[w.length];
    float[] scales = new float[units];
    for (int o = 0; o < units; o++) {
      float max = 0;
      for (int i = 0; i < in; i++) {
        max = Math.max(max, Math.abs(w[o * in + i]));
      }
      float s = max > 0 ? max / 127f : 1f;
      scales[o] = s;
      for (int i = 0; i < in; i++) { // transposed to [in, units] for MatMulInteger
        q[i * units + o] = (byte) Math.max(-127, Math.min(127, Math.round(w[o * in + i] / s)));
      }
    }
    List<String> xq = g.node("DynamicQuantizeLinear", List.of(x), 3); // uint8 x, its scale, its zero point
    String product = g.op("MatMulInteger", List.of(xq.get(0), g.bytes(name + "_wq", q, in, units), xq.get(2)));
    String scale = g.op("Mul", List.of(xq.get(1), g.floats(name + "_w_scale", scales, units)));
    String y = g.op("Mul", List.of(g.op("Cast", List.of(product), "to", DataType.FLOAT.getNumber()), scale));
    return g.op("Add", List.of(y, g.floats(name + "_b", OnnxExport.need(p, "bias"), units)));
  }
}
