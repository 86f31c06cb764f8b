package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.seqwatch.api.EncodedAttributes;
import io.seqwatch.api.Modality;
import java.util.List;

/**
 * Self-attention next-action network with multimodal fusion. Each of the previous {@code window}
 * events is the sum of embeddings of its action, time-gap bucket, hashed category and position,
 * plus a projection of its price (log1p) and a price-missing flag. One multi-head attention layer
 * lets the last position attend over the window (left padding masked), followed by a residual
 * feed-forward layer with layer norms and a linear layer over the actions.
 *
 * <p>Inputs: tokens, gap buckets, category buckets (batch, window) as int64, and price features
 * (batch, window, 2) as float32. Outputs: next-action logits (batch, vocabulary) and the attention
 * of the prediction over the window, averaged over heads (batch, window): the explanation's
 * "which earlier events it looked at".
 *
 * <p>With event attributes ({@link EncodedAttributes.Layout} not empty) each event is fused from
 * five modality vectors instead of one sum: behaviour (action + gap), item (category + price), and
 * the context, profile and query attributes, each the sum of the embeddings of its hashed ids
 * (one shared table, absent ids masked) and of its numeric values times a learned vector per value.
 * A gate ("dynamic attention" over modalities) scores each modality vector against a learned
 * query, softmax over the modalities present in the layout, and the event is the gate-weighted sum
 * times the number of modalities present (so equal weights give the plain sum). Extra inputs:
 * attribute ids (batch, window, slots) int64 and values (batch, window, values) float32, each only
 * when the layout has some; extra output: the gate (batch, window, 5), which explanations read.
 *
 * <p>Asked to ({@code attribute-surprise}), with context or profile attributes the network also predicts the next event's value of each
 * (the user agent, the referrer, the segment; not item attributes, which change with every item): a
 * mixture of two: with a learned probability per slot (when the window holds values of it) the
 * next value is one of the window's, in proportion to how often it occurs there (so a sequence is
 * expected to keep its user agent); otherwise it is drawn from a softmax over the attribute buckets
 * from the final state plus a learned query per slot, through an output table and a bias per slot
 * set to the training values' log-frequencies (so a rare value is improbable from the start). The extra input is the next
 * event's ids of those slots (batch, predicted) int64, the extra output their log-probabilities
 * (batch, predicted), 0 where the next event lacks the attribute: the event's surprise is the
 * action's plus these, so a user agent that changes mid-sequence or one rarely seen is surprising
 * even when the actions are not.
 *
 * <p>Thread-safety: as {@link NextActionNet}.
 */
final class AttentionNet extends AbstractBlock {
  /** Modalities a fusing network weighs (behaviour, item, context, profile, query). */
  static final int MODALITIES = Modality.values().length;
  private final int vocabulary;
  private final int model;
  private final int heads;
  private final int window;
  private final Parameter tokens;
  private final Parameter gaps;
  private final Parameter categories;
  private final Parameter positions;
  private final Block price;
  private final Block query;
  private final Block key;
  private final Block value;
  private final Block project;
  private final Block norm1;
  private final Block ff1;
  private final Block ff2;
  private final Block norm2;
  private final Block out;
  private final EncodedAttributes.Layout layout;
  private final Parameter attributes;
  private final Parameter values;
  private final Parameter gate;
  private final Parameter gateBias;
  private final int[] predicted;
  private final Parameter slotQueries;
  private final Parameter attributeOut;
  private final Parameter attributeBias;
  private final Parameter copyWeight;
  /** The initial logit of "the next value is one the window already had" (sigmoid 0.95). */
  static final float COPY_WEIGHT = 3f;
  /**
   * The largest chance of keeping a value: a sigmoid rounds to 1 in float32 from 17 on, and a
   * value never held before would then have probability 0 (an infinite loss).
   */
  static final float MAX_KEEP = 0.9999f;

  AttentionNet(int vocabulary, int gapBuckets, int categoryBuckets, int window, int model, int heads) {
    this(vocabulary, gapBuckets, categoryBuckets, window, model, heads, EncodedAttributes.Layout.NONE, false);
  }

  /**
   * A network fusing the attributes of {@code layout}; with {@code surprise} it predicts the next
   * event's context and profile values too.
   */
  AttentionNet(int vocabulary, int gapBuckets, int categoryBuckets, int window, int model, int heads,
      EncodedAttributes.Layout layout, boolean surprise) {
    super((byte) 1);
    if (model % heads != 0) {
      throw new io.seqwatch.api.ConfigurationException("model size " + model + " is not a multiple of heads " + heads);
    }
    this.vocabulary = vocabulary;
    this.model = model;
    this.heads = heads;
    this.window = window;
    this.tokens = embedding("tokens", vocabulary);
    this.gaps = embedding("gaps", gapBuckets);
    this.categories = embedding("categories", categoryBuckets);
    this.positions = embedding("positions", window);
    this.price = addChildBlock("price", Linear.builder().setUnits(model).build());
    this.query = addChildBlock("query", Linear.builder().setUnits(model).build());
    this.key = addChildBlock("key", Linear.builder().setUnits(model).build());
    this.value = addChildBlock("value", Linear.builder().setUnits(model).build());
    this.project = addChildBlock("project", Linear.builder().setUnits(model).build());
    this.norm1 = addChildBlock("norm1", LayerNorm.builder().build());
    this.ff1 = addChildBlock("ff1", Linear.builder().setUnits(2L * model).build());
    this.ff2 = addChildBlock("ff2", Linear.builder().setUnits(model).build());
    this.norm2 = addChildBlock("norm2", LayerNorm.builder().build());
    this.out = addChildBlock("out", Linear.builder().setUnits(vocabulary).build());
    this.layout = layout;
    boolean fusion = !layout.isEmpty();
    this.attributes = fusion && layout.slots() > 0 ? embedding("attributes", layout.buckets()) : null;
    this.values = fusion && layout.values() > 0 ? embedding("values", layout.values()) : null;
    this.gate = fusion ? embedding("gate", 1) : null; // the query the modality vectors are scored against
    this.gateBias = fusion ? addParameter(Parameter.builder().setName("gate_bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(MODALITIES)).build()) : null;
    this.predicted = surprise && fusion && attributes != null ? layout.stableSlots() : new int[0];
    this.slotQueries = predicted.length > 0 ? embedding("slot_queries", predicted.length) : null;
    this.attributeOut = predicted.length > 0 ? embedding("attribute_out", layout.buckets()) : null;
    this.attributeBias = predicted.length > 0 ? addParameter(Parameter.builder().setName("attribute_bias")
        .setType(Parameter.Type.BIAS).optShape(new Shape(predicted.length, layout.buckets())).build()) : null;
    this.copyWeight = predicted.length > 0 ? addParameter(Parameter.builder().setName("copy_weight")
        .setType(Parameter.Type.BIAS).optShape(new Shape(predicted.length, 1))
        .optInitializer(new ai.djl.training.initializer.ConstantInitializer(COPY_WEIGHT)).build()) : null;
    // set here, not at initialisation, so that SeededInitializer.seed sees it before the weights are drawn
    for (Block c : new Block[] {price, query, key, value, project, ff1, ff2, out}) {
      c.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }
  }

  private Parameter embedding(String name, int rows) {
    return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, model)).optInitializer(new XavierInitializer()).build());
  }

  private static NDArray embed(ParameterStore ps, Parameter p, NDArray ids, boolean training) {
    return Embedding.embedding(ids, ps.getValue(p, ids.getDevice(), training), SparseFormat.DENSE).singletonOrThrow();
  }

  int model() {
    return model;
  }

  /** The attributes this network fuses ({@link EncodedAttributes.Layout#NONE}: none). */
  EncodedAttributes.Layout layout() {
    return layout;
  }

  /**
   * The fusion parameters: attribute table, value vectors (each null without slots / values), gate,
   * gate bias, and the queries of the predicted attribute slots, the output table and its bias
   * (those three null when none are predicted).
   */
  List<Parameter> fusionParameters() {
    return java.util.Arrays.asList(attributes, values, gate, gateBias, slotQueries, attributeOut, attributeBias,
        copyWeight);
  }

  /**
   * Sets the attribute prediction's bias to each predicted slot's log-frequency of values in
   * training ({@code counts} {@code [predicted, buckets]}, add-0.1 smoothed), so a value seldom or
   * never seen is improbable from the first step: learning a prior over thousands of buckets by
   * gradient steps alone would take far more steps than a small model trains.
   */
  void attributePriors(long[] counts) {
    int buckets = layout.buckets();
    float[] prior = new float[counts.length];
    for (int k = 0; k < predicted.length; k++) {
      double total = 0;
      for (int b = 0; b < buckets; b++) {
        total += counts[k * buckets + b];
      }
      for (int b = 0; b < buckets; b++) {
        prior[k * buckets + b] = (float) Math.log((counts[k * buckets + b] + 0.1) / (total + 0.1 * buckets));
      }
    }
    attributeBias.getArray().set(prior);
  }

  /** The categorical slots whose next value the network predicts (empty without fusion). */
  int[] predicted() {
    return predicted.clone();
  }

  /** Modality constants of a layout, shared with the ONNX export. */
  record Fusion(float[] slotToModality, float[] valueToModality, float[] present, int presentCount) {
    /**
     * {@code slotToModality} ({@code [5, slots]}) and {@code valueToModality} ({@code [5, values]})
     * are 0/1 matrices summing slots and values into their modalities; {@code present} ({@code [5]})
     * is 0 for modalities with inputs and -1e9 for the others.
     */
    static Fusion of(EncodedAttributes.Layout layout) {
      int k = layout.slots();
      int f = layout.values();
      float[] s = new float[MODALITIES * k];
      float[] v = new float[MODALITIES * f];
      boolean[] has = new boolean[MODALITIES];
      has[Modality.BEHAVIOUR.ordinal()] = true;
      has[Modality.ITEM.ordinal()] = true;
      for (int i = 0; i < k; i++) {
        int m = layout.slotModalities().get(i).ordinal();
        s[m * k + i] = 1;
        has[m] = true;
      }
      for (int i = 0; i < f; i++) {
        int m = layout.valueModalities().get(i).ordinal();
        v[m * f + i] = 1;
        has[m] = true;
      }
      float[] present = new float[MODALITIES];
      int count = 0;
      for (int m = 0; m < MODALITIES; m++) {
        present[m] = has[m] ? 0f : -1e9f;
        count += has[m] ? 1 : 0;
      }
      return new Fusion(s, v, present, count);
    }
  }

  int heads() {
    return heads;
  }

  /** The embedding tables: tokens, gaps, categories, positions. */
  List<Parameter> embeddings() {
    return List.of(tokens, gaps, categories, positions);
  }

  /** A child block by name: price, query, key, value, project, norm1, ff1, ff2, norm2, out. */
  Block child(String name) {
    return switch (name) {
      case "price" -> price;
      case "query" -> query;
      case "key" -> key;
      case "value" -> value;
      case "project" -> project;
      case "norm1" -> norm1;
      case "ff1" -> ff1;
      case "ff2" -> ff2;
      case "norm2" -> norm2;
      case "out" -> out;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
    NDArray tok = in.get(0);
    long b = tok.getShape().get(0);
    long w = tok.getShape().get(1);
    NDArray pos = ps.getValue(positions, tok.getDevice(), training).get("0:" + w).expandDims(0);
    NDArray behaviour = embed(ps, tokens, tok, training).add(embed(ps, gaps, in.get(1), training));
    NDArray category = embed(ps, categories, in.get(2), training);
    NDArray price = this.price.forward(ps, new NDList(in.get(3)), training).head(); // (B, W, M)
    NDArray fusionGate = null;
    NDArray x;
    if (layout.isEmpty()) { // the sum in the order of the networks trained before attributes
      x = behaviour.add(category).add(pos).add(price);
    } else {
      NDArray item = category.add(price);
      Fusion f = Fusion.of(layout);
      NDManager m = tok.getManager();
      NDArray unit = m.eye(MODALITIES); // row i picks modality i
      NDArray h = behaviour.expandDims(2).mul(unit.get("0:1").reshape(MODALITIES, 1))
          .add(item.expandDims(2).mul(unit.get("1:2").reshape(MODALITIES, 1))); // (B, W, 5, M)
      int next = 4;
      if (attributes != null) {
        NDArray ids = in.get(next++);
        NDArray e = embed(ps, attributes, ids, training)
            .mul(ids.neq(0).toType(DataType.FLOAT32, false).expandDims(3)); // (B, W, K, M), absent ids masked
        h = h.add(DjlRuntime.owned(m.create(f.slotToModality(), new Shape(MODALITIES, layout.slots()))).matMul(e));
      }
      if (values != null) {
        NDArray v = in.get(next++).expandDims(3).mul(ps.getValue(values, tok.getDevice(), training)); // (B, W, F, M)
        h = h.add(DjlRuntime.owned(m.create(f.valueToModality(), new Shape(MODALITIES, layout.values()))).matMul(v));
      }
      NDArray query = ps.getValue(gate, tok.getDevice(), training).reshape(model, 1);
      NDArray logits = h.matMul(query).reshape(b, w, MODALITIES)
          .add(ps.getValue(gateBias, tok.getDevice(), training)).add(DjlRuntime.owned(m.create(f.present())));
      fusionGate = logits.softmax(2); // (B, W, 5)
      x = fusionGate.expandDims(2).matMul(h).reshape(b, w, model).mul(DjlRuntime.scalar(m, f.presentCount())).add(pos);
    }
    int d = model / heads;
    NDArray last = x.get(":, -1, :"); // (B, M)
    NDArray q = query.forward(ps, new NDList(last), training).head().reshape(b, heads, 1, d);
    NDArray k = key.forward(ps, new NDList(x), training).head().reshape(b, w, heads, d).transpose(0, 2, 3, 1);
    NDArray v = value.forward(ps, new NDList(x), training).head().reshape(b, w, heads, d).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k).div(DjlRuntime.scalar(tok.getManager(), (float) Math.sqrt(d))); // (B, H, 1, W)
    NDArray pad = tok.eq(0).toType(DataType.FLOAT32, false).mul(-1e9f).reshape(b, 1, 1, w);
    NDArray attention = scores.add(pad).softmax(3); // (B, H, 1, W)
    NDArray context = attention.matMul(v).reshape(b, model); // (B, M)
    NDArray h = norm1.forward(ps, new NDList(last.add(project.forward(ps, new NDList(context), training).head())), training).head();
    NDArray f = ff2.forward(ps, new NDList(ff1.forward(ps, new NDList(h), training).head().getNDArrayInternal().relu()), training).head();
    NDArray y = norm2.forward(ps, new NDList(h.add(f)), training).head();
    NDArray attributeLogProbs = null;
    if (predicted.length > 0) { // log-probability of each predicted slot's actual next value
      NDArray targets = in.get(in.size() - 1); // (B, P)
      NDArray table = ps.getValue(attributeOut, tok.getDevice(), training); // (buckets, M)
      int buckets = (int) table.getShape().get(0);
      NDArray generated = y.expandDims(1).add(ps.getValue(slotQueries, tok.getDevice(), training)) // (B, P, M)
          .matMul(table.transpose()).add(ps.getValue(attributeBias, tok.getDevice(), training))
          .logSoftmax(2).mul(targets.oneHot(buckets)).sum(new int[] {2}); // (B, P): log p_gen(next value)
      NDArray ids = in.get(4); // (B, W, K): the window's values
      NDList copied = new NDList();
      NDList held = new NDList();
      for (int slot = 0; slot < predicted.length; slot++) { // the share of the window's values equal to the next one
        NDArray column = ids.get(":, :, " + predicted[slot]); // (B, W)
        NDArray count = column.neq(0).toType(DataType.FLOAT32, false).sum(new int[] {1});
        copied.add(column.eq(targets.get(":, " + slot).expandDims(1)).toType(DataType.FLOAT32, false)
            .sum(new int[] {1}).div(count.maximum(1f)));
        held.add(count.minimum(1f)); // 1 when the window holds a value of this slot
      }
      NDArray copy = NDArrays.stack(copied, 1); // (B, P)
      NDArray keep = ps.getValue(copyWeight, tok.getDevice(), training).reshape(predicted.length).getNDArrayInternal()
          .sigmoid().mul(DjlRuntime.scalar(tok.getManager(), MAX_KEEP)).mul(NDArrays.stack(held, 1)); // (B, P): the chance the value is one the window had
      attributeLogProbs = keep.mul(copy).add(keep.neg().add(1f).mul(generated.exp())).log()
          .mul(targets.neq(0).toType(DataType.FLOAT32, false)); // (B, P), 0 where the next event has no value
    }
    NDArray logits = out.forward(ps, new NDList(y), training).head();
    NDList result = new NDList(logits, attention.reshape(b, heads, w).mean(new int[] {1}));
    if (fusionGate != null) {
      result.add(fusionGate);
    }
    if (attributeLogProbs != null) {
      result.add(attributeLogProbs);
    }
    return result;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    Shape[] out = {new Shape(b, vocabulary), new Shape(b, window)};
    if (layout.isEmpty()) {
      return out;
    }
    Shape gateShape = new Shape(b, window, MODALITIES);
    return predicted.length == 0 ? new Shape[] {out[0], out[1], gateShape}
        : new Shape[] {out[0], out[1], gateShape, new Shape(b, predicted.length)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    long w = inputShapes[0].get(1);
    price.initialize(manager, dataType, new Shape(b, w, 2));
    query.initialize(manager, dataType, new Shape(b, model));
    key.initialize(manager, dataType, new Shape(b, w, model));
    value.initialize(manager, dataType, new Shape(b, w, model));
    project.initialize(manager, dataType, new Shape(b, model));
    norm1.initialize(manager, dataType, new Shape(b, model));
    ff1.initialize(manager, dataType, new Shape(b, model));
    ff2.initialize(manager, dataType, new Shape(b, 2L * model));
    norm2.initialize(manager, dataType, new Shape(b, model));
    out.initialize(manager, dataType, new Shape(b, model));
  }
}
