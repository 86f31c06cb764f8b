package io.seqwatch.engine.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.engine.common.ExportedGraph;
import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.engine.common.NextActionScorer;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
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
  static final String MODEL = ExportedGraph.FILE;
  /** The export target of float32 graphs (the onnx engine's name). */
  static final String ONNX = "onnx";
  /** The export target of graphs whose linear layers hold int8 weights (scored by the onnx engine). */
  static final String ONNX_INT8 = "onnx-int8";

  private OnnxExport() {}

  static void nextAction(NextActionModel m, ArtifactWriter out) throws IOException {
    NextActionConfig c = m.config();
    if (m.net() instanceof AttentionNet attention) {
      transformer(m, attention, out);
      return;
    }
    if (!(m.net() instanceof NextActionNet net)) {
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
    String axes0 = g.longs("axes0", 0);
    String axes1 = g.longs("axes1", 1);
    String last = null;
    for (int l = 0; l < c.layers(); l++) {
      List<String> y = recurrent(g, rnn, l, gru, l == 0 ? c.embedding() : h, h, x, "rnn" + l);
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
    ExportedGraph.write(out, NextActionScorer.CONFIG, m.configFile(), model);
  }

  /**
   * The transformer: inputs {@code tokens}, {@code gaps}, {@code categories} (int64 {@code [N, W]})
   * and {@code prices} (float {@code [N, W, 2]}); outputs {@code log_probs} ({@code [N, V]}) and
   * {@code attention} ({@code [N, W]}, averaged over heads). The four embeddings and the price
   * projection are summed, the last position queries the window (padding masked with -1e9), and the
   * residual feed-forward block follows; layer norms are spelled out (ReduceMean, Sub, Mul, Sqrt,
   * Div) because LayerNormalization needs opset 17.
   */
  static void transformer(NextActionModel m, AttentionNet net, ArtifactWriter out) throws IOException {
    NextActionConfig c = m.config();
    int w = c.window();
    int model = net.model();
    int heads = net.heads();
    int d = model / heads;
    OnnxGraph g = new OnnxGraph("seqwatch-transformer");
    g.input("tokens", DataType.INT64, -1, w);
    g.input("gaps", DataType.INT64, -1, w);
    g.input("categories", DataType.INT64, -1, w);
    g.input("prices", DataType.FLOAT, -1, w, 2);
    List<ai.djl.nn.Parameter> tables = net.embeddings();
    String[] inputs = {"tokens", "gaps", "categories"};
    String[] embedded = new String[3];
    for (int i = 0; i < 3; i++) {
      float[] table = tables.get(i).getArray().toFloatArray();
      embedded[i] = g.op("Gather", List.of(g.floats("emb_" + inputs[i], table, table.length / model, model),
          inputs[i]), "axis", 0);
    }
    String positions = g.floats("positions", tables.get(3).getArray().toFloatArray(), w, model);
    String price = linear(g, net.child("price"), "price", "prices", 2, model);
    String x;
    String gate = null;
    boolean fusion = !net.layout().isEmpty();
    if (!fusion) { // the sum in the order of the networks trained before attributes
      x = g.op("Add", List.of(g.op("Add", List.of(embedded[0], embedded[1])), embedded[2]));
      x = g.op("Add", List.of(g.op("Add", List.of(x, positions)), price));
    } else {
      Fused fused = fuse(g, net, embedded, price, w, model);
      x = g.op("Add", List.of(fused.x(), positions));
      gate = fused.gate();
    }
    String last = g.op("Gather", List.of(x, g.longs("last_index", w - 1)), "axis", 1); // [N, 1, M]
    last = g.op("Reshape", List.of(last, g.longs("shape_nm", -1, model)));
    String q = g.op("Reshape", List.of(linear(g, net.child("query"), "query", last, model, model),
        g.longs("shape_q", -1, heads, 1, d)));
    String k = g.op("Transpose", List.of(g.op("Reshape", List.of(linear(g, net.child("key"), "key", x, model, model),
        g.longs("shape_kv", -1, w, heads, d)))), "perm", new long[] {0, 2, 3, 1});
    String v = g.op("Transpose", List.of(g.op("Reshape", List.of(linear(g, net.child("value"), "value", x, model, model),
        "shape_kv"))), "perm", new long[] {0, 2, 1, 3});
    String scores = g.op("Mul", List.of(g.op("MatMul", List.of(q, k)),
        g.floats("inv_sqrt_d", new float[] {(float) (1 / Math.sqrt(d))}))); // [N, H, 1, W]
    String pad = g.op("Mul", List.of(g.op("Cast", List.of(g.op("Equal", List.of("tokens", g.longs("zero", 0)))), "to",
        DataType.FLOAT.getNumber()), g.floats("minus_big", new float[] {-1e9f})));
    pad = g.op("Reshape", List.of(pad, g.longs("shape_pad", -1, 1, 1, w)));
    String attention = g.op("Softmax", List.of(g.op("Add", List.of(scores, pad))), "axis", 3);
    String context = g.op("Reshape", List.of(g.op("MatMul", List.of(attention, v)), "shape_nm"));
    String h = layerNorm(g, net.child("norm1"), "norm1",
        g.op("Add", List.of(last, linear(g, net.child("project"), "project", context, model, model))));
    String f = linear(g, net.child("ff2"), "ff2",
        g.op("Relu", List.of(linear(g, net.child("ff1"), "ff1", h, model, 2 * model))), 2 * model, model);
    String y = layerNorm(g, net.child("norm2"), "norm2", g.op("Add", List.of(h, f)));
    String logits = linear(g, net.child("out"), "out", y, model, c.vocabulary());
    int predicted = net.predicted().length;
    if (predicted > 0) { // the log-probability of each predicted attribute's next value, 0 where absent
      g.input("next_attribute_ids", DataType.INT64, -1, predicted);
      float[] table = net.fusionParameters().get(5).getArray().toFloatArray(); // [buckets, M]
      int buckets = table.length / model;
      float[] tableT = new float[table.length];
      for (int r = 0; r < buckets; r++) {
        for (int col = 0; col < model; col++) {
          tableT[col * buckets + r] = table[r * model + col];
        }
      }
      String queries = g.op("Add", List.of(g.op("Reshape", List.of(y, g.longs("shape_n1m", -1, 1, model))),
          g.floats("slot_queries", net.fusionParameters().get(4).getArray().toFloatArray(), predicted, model)));
      List<ai.djl.nn.Parameter> fp = net.fusionParameters();
      String generated = g.op("LogSoftmax", List.of(g.op("Add", List.of(g.op("MatMul", List.of(queries,
          g.floats("attribute_out_t", tableT, model, buckets))), g.floats("attribute_bias",
          fp.get(6).getArray().toFloatArray(), predicted, buckets)))), "axis", 2); // [N, P, buckets]
      generated = g.op("Reshape", List.of(g.op("GatherElements", List.of(generated, g.op("Reshape",
          List.of("next_attribute_ids", g.longs("shape_np1", -1, predicted, 1)))), "axis", 2),
          g.longs("shape_np", -1, predicted))); // [N, P]: log p_gen(next value)
      long[] slots = java.util.Arrays.stream(net.predicted()).asLongStream().toArray();
      String window = g.op("Gather", List.of("attribute_ids", g.longs("predicted_slots", slots)), "axis", 2); // [N, W, P]
      String count = g.op("ReduceSum", List.of(present(g, window, "zero_window"), g.longs("axis_window", 1)), "keepdims", 0);
      String same = g.op("ReduceSum", List.of(g.op("Cast", List.of(g.op("Equal", List.of(window, g.op("Reshape",
          List.of("next_attribute_ids", g.longs("shape_n1p", -1, 1, predicted)))))), "to", DataType.FLOAT.getNumber()),
          "axis_window"), "keepdims", 0);
      String copy = g.op("Div", List.of(same, g.op("Max", List.of(count, g.floats("one", new float[] {1f})))));
      String keep = g.op("Mul", List.of(g.op("Mul", List.of(g.op("Sigmoid", List.of(g.floats("copy_weight",
          fp.get(7).getArray().toFloatArray(), predicted))), g.floats("max_keep", new float[] {AttentionNet.MAX_KEEP}))),
          g.op("Min", List.of(count, "one")))); // [N, P]
      String p = g.op("Add", List.of(g.op("Mul", List.of(keep, copy)), g.op("Mul", List.of(g.op("Sub",
          List.of(g.floats("one_p", new float[] {1f}), keep)), g.op("Exp", List.of(generated))))));
      String present = present(g, "next_attribute_ids", "zero_next");
      g.output("next_attribute_log_probs", g.op("Mul", List.of(g.op("Log", List.of(p)), present)), DataType.FLOAT,
          -1, predicted);
    }
    g.output("log_probs", g.op("LogSoftmax", List.of(logits), "axis", 1), DataType.FLOAT, -1, c.vocabulary());
    String mean = g.op("ReduceMean", List.of(g.op("Reshape", List.of(attention, g.longs("shape_att", -1, heads, w)))),
        "axes", new long[] {1}, "keepdims", 0);
    g.output("attention", mean, DataType.FLOAT, -1, w);
    String doc = "Seqwatch transformer: tokens, gaps, categories [N, " + w + "], prices [N, " + w + ", 2]";
    if (fusion) {
      g.output("modality_gate", gate, DataType.FLOAT, -1, w, AttentionNet.MODALITIES);
      var layout = net.layout();
      doc += (layout.slots() > 0 ? ", attribute_ids [N, " + w + ", " + layout.slots() + "]" : "")
          + (layout.values() > 0 ? ", attribute_values [N, " + w + ", " + layout.values() + "]" : "");
    }
    int predictedSlots = net.predicted().length;
    if (predictedSlots > 0) {
      doc += ", next_attribute_ids [N, " + predictedSlots + "]";
    }
    doc += " -> log_probs [N, " + c.vocabulary() + "], attention [N, " + w + "]"
        + (fusion ? ", modality_gate [N, " + w + ", " + AttentionNet.MODALITIES + "]" : "")
        + (predictedSlots > 0 ? ", next_attribute_log_probs [N, " + predictedSlots + "]" : "");
    byte[] bytes = g.model(doc);
    ExportedGraph.write(out, NextActionScorer.CONFIG, m.configFile(), bytes);
  }

  /**
   * The fused event vectors of {@link AttentionNet} with attributes: the five modality vectors
   * {@code [N, W, 5, M]}, the softmax gate over them, and their gate-weighted sum times the number
   * of modalities present.
   */
  private static Fused fuse(OnnxGraph g, AttentionNet net, String[] embedded, String price, int w, int model) {
    var layout = net.layout();
    int modalities = AttentionNet.MODALITIES;
    AttentionNet.Fusion f = AttentionNet.Fusion.of(layout);
    List<ai.djl.nn.Parameter> p = net.fusionParameters();
    String behaviour = g.op("Add", List.of(embedded[0], embedded[1]));
    String item = g.op("Add", List.of(embedded[2], price));
    String shape1 = g.longs("shape_nw1m", -1, w, 1, model);
    float[] e0 = new float[modalities];
    float[] e1 = new float[modalities];
    e0[0] = 1;
    e1[1] = 1;
    String h = g.op("Add", List.of(
        g.op("Mul", List.of(g.op("Reshape", List.of(behaviour, shape1)), g.floats("pick_behaviour", e0, modalities, 1))),
        g.op("Mul", List.of(g.op("Reshape", List.of(item, shape1)), g.floats("pick_item", e1, modalities, 1)))));
    if (layout.slots() > 0) {
      int k = layout.slots();
      g.input("attribute_ids", DataType.INT64, -1, w, k);
      float[] table = p.get(0).getArray().toFloatArray();
      String e = g.op("Gather", List.of(g.floats("emb_attributes", table, table.length / model, model), "attribute_ids"),
          "axis", 0); // [N, W, K, M]
      String mask = present(g, "attribute_ids", "zero_id");
      e = g.op("Mul", List.of(e, g.op("Reshape", List.of(mask, g.longs("shape_mask", -1, w, k, 1)))));
      h = g.op("Add", List.of(h, g.op("MatMul", List.of(g.floats("slot_modalities", f.slotToModality(), modalities, k),
          e))));
    }
    if (layout.values() > 0) {
      int n = layout.values();
      g.input("attribute_values", DataType.FLOAT, -1, w, n);
      String v = g.op("Mul", List.of(g.op("Reshape", List.of("attribute_values", g.longs("shape_values", -1, w, n, 1))),
          g.floats("value_vectors", p.get(1).getArray().toFloatArray(), n, model))); // [N, W, F, M]
      h = g.op("Add", List.of(h, g.op("MatMul", List.of(g.floats("value_modalities", f.valueToModality(), modalities, n),
          v))));
    }
    String logits = g.op("Reshape", List.of(g.op("MatMul", List.of(h, g.floats("gate_query",
        p.get(2).getArray().toFloatArray(), model, 1))), g.longs("shape_gate", -1, w, modalities)));
    logits = g.op("Add", List.of(g.op("Add", List.of(logits, g.floats("gate_bias", p.get(3).getArray().toFloatArray(),
        modalities))), g.floats("gate_present", f.present(), modalities)));
    String gate = g.op("Softmax", List.of(logits), "axis", 2);
    String fused = g.op("Reshape", List.of(g.op("MatMul", List.of(g.op("Reshape", List.of(gate,
        g.longs("shape_gate_row", -1, w, 1, modalities))), h)), g.longs("shape_nwm", -1, w, model)));
    return new Fused(g.op("Mul", List.of(fused, g.floats("present_count", new float[] {f.presentCount()}))), gate);
  }

  /** The fused event vectors {@code [N, W, M]} and the modality gate {@code [N, W, 5]}, as graph values. */
  private record Fused(String x, String gate) {}

  /** A DJL Linear block over the last axis of {@code x}: MatMul by the transposed weight, Add the bias. */
  static String linear(OnnxGraph g, Block b, String name, String x, int in, int units) {
    Map<String, float[]> p = parameters(b);
    float[] w = need(p, "weight"); // [units, in]
    float[] t = new float[w.length];
    for (int o = 0; o < units; o++) {
      for (int i = 0; i < in; i++) {
        t[i * units + o] = w[o * in + i];
      }
    }
    return g.op("Add", List.of(g.op("MatMul", List.of(x, g.floats(name + "_w", t, in, units))),
        g.floats(name + "_b", need(p, "bias"), units)));
  }

  /** Layer normalisation over the last axis (DJL's epsilon 1e-5), spelled out for opset 13. */
  static String layerNorm(OnnxGraph g, Block b, String name, String x) {
    Map<String, float[]> p = parameters(b);
    String mean = g.op("ReduceMean", List.of(x), "axes", new long[] {-1}, "keepdims", 1);
    String diff = g.op("Sub", List.of(x, mean));
    String var = g.op("ReduceMean", List.of(g.op("Mul", List.of(diff, diff))), "axes", new long[] {-1}, "keepdims", 1);
    String std = g.op("Sqrt", List.of(g.op("Add", List.of(var, g.floats(name + "_eps", new float[] {1e-5f})))));
    String norm = g.op("Div", List.of(diff, std));
    float[] gamma = need(p, "gamma");
    return g.op("Add", List.of(g.op("Mul", List.of(norm, g.floats(name + "_gamma", gamma, gamma.length))),
        g.floats(name + "_beta", need(p, "beta"), gamma.length)));
  }

  /**
   * The lstm-autoencoder: input {@code tokens} (int64 {@code [N, length]}), output {@code log_probs}
   * (float {@code [N, length, vocabulary]}): Gather, the encoder LSTM's last state tiled over every
   * position into the decoder LSTM, MatMul + Add to logits, LogSoftmax.
   */
  static void sequenceAutoencoder(LstmAutoencoderDetectorProvider.AutoencoderModel m, ArtifactWriter out)
      throws IOException {
    var c = m.config();
    SequenceAutoencoderNet net = m.net();
    OnnxGraph g = new OnnxGraph("seqwatch-lstm-autoencoder");
    int h = c.hidden();
    g.input("tokens", DataType.INT64, -1, c.length());
    String emb = g.floats("embedding", net.embeddingWeight().getArray().toFloatArray(), c.vocabulary(), c.embedding());
    String x = g.op("Gather", List.of(emb, "tokens"), "axis", 0);
    x = g.op("Transpose", List.of(x), "perm", new long[] {1, 0, 2});
    List<String> enc = recurrent(g, parameters(net.encoder()), 0, false, c.embedding(), h, x, "encoder");
    String code = g.op("Tile", List.of(enc.get(1), g.longs("repeats", c.length(), 1, 1))); // [L, N, H]
    List<String> dec = recurrent(g, parameters(net.decoder()), 0, false, h, h, code, "decoder");
    String d = g.op("Squeeze", List.of(dec.get(0), g.longs("axes1", 1)));
    d = g.op("Transpose", List.of(d), "perm", new long[] {1, 0, 2}); // [N, L, H]
    Map<String, float[]> o = parameters(net.out());
    float[] w = need(o, "weight");
    float[] wt = new float[w.length]; // [V, H] -> [H, V]
    for (int v = 0; v < c.vocabulary(); v++) {
      for (int k = 0; k < h; k++) {
        wt[k * c.vocabulary() + v] = w[v * h + k];
      }
    }
    String logits = g.op("Add", List.of(g.op("MatMul", List.of(d, g.floats("out_weight_t", wt, h, c.vocabulary()))),
        g.floats("out_bias", need(o, "bias"), c.vocabulary())));
    g.output("log_probs", g.op("LogSoftmax", List.of(logits), "axis", 2), DataType.FLOAT, -1, c.length(), c.vocabulary());
    byte[] model = g.model("Seqwatch lstm-autoencoder: tokens [N, " + c.length() + "] -> log_probs [N, " + c.length()
        + ", " + c.vocabulary() + "]");
    ExportedGraph.write(out, NextActionScorer.CONFIG, m.configFile(), model);
  }

  /**
   * The dense autoencoder: input {@code features} (float {@code [N, d]}, standardised and clipped),
   * output {@code reconstruction} (float {@code [N, d]}): Gemm + Relu three times, then Gemm. The
   * statistics and settings stay in {@code model.bin}, without the weights.
   */
  static void denseAutoencoder(AutoencoderDetectorProvider.AutoencoderModel m, ArtifactWriter out) throws IOException {
    int d = m.statistics().schema().size();
    OnnxGraph g = new OnnxGraph("seqwatch-autoencoder");
    g.input("features", DataType.FLOAT, -1, d);
    String x = "features";
    int layer = 0;
    int in = d;
    for (Pair<String, Block> child : m.net().getChildren()) {
      Map<String, float[]> p = parameters(child.getValue());
      if (p.isEmpty()) { // an activation between the linear layers
        x = g.op("Relu", List.of(x));
        continue;
      }
      float[] w = need(p, "weight");
      float[] b = need(p, "bias");
      x = g.op("Gemm", List.of(x, g.floats("w" + layer, w, b.length, in), g.floats("b" + layer, b, b.length)),
          "transB", 1);
      in = b.length;
      layer++;
    }
    g.output("reconstruction", x, DataType.FLOAT, -1, d);
    byte[] model = g.model("Seqwatch autoencoder: features [N, " + d + "] -> reconstruction [N, " + d + "]");
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, m.provenance());
    m.statistics().writeTo(b);
    b.put("clip", m.clip()).put("hidden", m.hidden()).put("bottleneck", m.bottleneck());
    ExportedGraph.write(out, VectorModel.FILE, b.build(), model);
  }

  /**
   * One ONNX GRU or LSTM node for layer {@code l} of a DJL recurrent block over time-major {@code x}.
   *
   * @return its outputs Y {@code [T, 1, N, H]} and Y_h {@code [1, N, H]}
   */
  private static List<String> recurrent(OnnxGraph g, Map<String, float[]> params, int l, boolean gru, int in, int h,
      String x, String name) {
    int gates = gru ? 3 : 4;
    // position k of the ONNX order takes PyTorch's gate block order[k]
    int[] order = gru ? new int[] {1, 0, 2} : new int[] {0, 3, 1, 2};
    float[] w = gates(need(params, "l_" + l + "_i2h_weight"), order, h, in);
    float[] r = gates(need(params, "l_" + l + "_h2h_weight"), order, h, h);
    float[] wb = gates(need(params, "l_" + l + "_i2h_bias"), order, h, 1);
    float[] rb = gates(need(params, "l_" + l + "_h2h_bias"), order, h, 1);
    float[] b = new float[2 * gates * h];
    System.arraycopy(wb, 0, b, 0, wb.length);
    System.arraycopy(rb, 0, b, wb.length, rb.length);
    String wn = g.floats(name + "_w", w, 1, (long) gates * h, in);
    String rn = g.floats(name + "_r", r, 1, (long) gates * h, h);
    String bn = g.floats(name + "_b", b, 1, 2L * gates * h);
    return gru
        ? g.node("GRU", List.of(x, wn, rn, bn), 2, "hidden_size", h, "linear_before_reset", 1)
        : g.node("LSTM", List.of(x, wn, rn, bn), 2, "hidden_size", h);
  }

  /** A block's parameters by name, as floats. */
  static Map<String, float[]> parameters(Block b) {
    Map<String, float[]> out = new HashMap<>();
    for (Pair<String, Parameter> p : b.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  static float[] need(Map<String, float[]> params, String suffix) {
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

  /** 1.0 where the ids of {@code x} are present (not 0), else 0.0, as floats; {@code zero} names the constant 0. */
  static String present(OnnxGraph g, String x, String zero) {
    return g.op("Cast", List.of(g.op("Not", List.of(g.op("Equal", List.of(x, g.longs(zero, 0)))))), "to",
        DataType.FLOAT.getNumber());
  }
}
