package io.seqwatch.engine.djl;

import io.seqwatch.engine.common.MaskedEventConfig;
import ai.djl.ndarray.NDArray;
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
import java.util.ArrayList;
import java.util.List;

/**
 * A bidirectional Transformer encoder over behaviour events, trained by masked-event modelling (as
 * BERT is on words): each event is the sum of the embeddings of its action, time-gap bucket, hashed
 * category and position and of a projection of its price (log1p and a missing flag); an event
 * chosen for masking keeps only its position and a learned mask vector, and the network predicts its
 * action, gap bucket and category from the events around it, before and after. {@code layers}
 * pre-norm blocks of multi-head self-attention (padding masked) and a feed-forward layer, then a
 * final layer norm.
 *
 * <p>Inputs: tokens, gap buckets, category buckets (batch, length) int64 (token 0 is padding),
 * prices (batch, length, 2) float32, the mask (batch, length) float32, 1 where an event is
 * hidden, and optionally the cells to predict (cells, width) int64, each row the flat index
 * {@code batch * length + position} of one cell repeated across the width. Outputs: action logits,
 * gap logits and category logits, each (cells, classes) for the cells asked for (or (batch, length,
 * classes) for every cell without that input), and the encoder's states (batch, length, width),
 * the events' embeddings.
 *
 * <p>Thread-safety: as {@link NextActionNet}: a forward pass at a time.
 */
final class MaskedEventNet extends AbstractBlock {
  private final int vocabulary;
  private final int gapBuckets;
  private final int categoryBuckets;
  private final int window;
  private final int width;
  private final int heads;
  private final Parameter tokens;
  private final Parameter gaps;
  private final Parameter categories;
  private final Parameter positions;
  private final Parameter mask;
  private final Block price;
  private final List<Layer> layers = new ArrayList<>();
  private final Block norm;
  private final Block actionOut;
  private final Block gapOut;
  private final Block categoryOut;

  /** One encoder block's sub-blocks. */
  private record Layer(Block attentionNorm, Block qkv, Block project, Block feedNorm, Block ff1, Block ff2) {}

  MaskedEventNet(MaskedEventConfig c) {
    super((byte) 1);
    if (c.width() % c.heads() != 0) {
      throw new io.seqwatch.api.ConfigurationException("width " + c.width() + " is not a multiple of heads " + c.heads());
    }
    this.vocabulary = c.vocabulary().size();
    this.gapBuckets = c.gapBuckets();
    this.categoryBuckets = c.categoryBuckets();
    this.window = c.window();
    this.width = c.width();
    this.heads = c.heads();
    this.tokens = embedding("tokens", vocabulary);
    this.gaps = embedding("gaps", gapBuckets);
    this.categories = embedding("categories", categoryBuckets);
    this.positions = embedding("positions", window);
    this.mask = embedding("mask", 1);
    this.price = linear("price", width);
    for (int l = 0; l < c.layers(); l++) {
      layers.add(new Layer(addChildBlock("attention_norm_" + l, LayerNorm.builder().axis(2).build()),
          linear("qkv_" + l, 3 * width), linear("project_" + l, width),
          addChildBlock("feed_norm_" + l, LayerNorm.builder().axis(2).build()), linear("ff1_" + l, 4 * width),
          linear("ff2_" + l, width)));
    }
    this.norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    this.actionOut = linear("action_out", vocabulary);
    this.gapOut = linear("gap_out", gapBuckets);
    this.categoryOut = linear("category_out", categoryBuckets);
  }

  private Parameter embedding(String name, int rows) {
    return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, width)).optInitializer(new XavierInitializer()).build());
  }

  /** A linear layer whose weight SeededInitializer draws (set here, before initialisation). */
  private Block linear(String name, int units) {
    Block b = addChildBlock(name, Linear.builder().setUnits(units).build());
    b.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    return b;
  }

  private static NDArray embed(ParameterStore ps, Parameter p, NDArray ids, boolean training) {
    return Embedding.embedding(ids, ps.getValue(p, ids.getDevice(), training), SparseFormat.DENSE).singletonOrThrow();
  }

  private static NDArray apply(Block b, ParameterStore ps, NDArray x, boolean training) {
    return b.forward(ps, new NDList(x), training).head();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
    NDArray y = encode(ps, in, training);
    long b = y.getShape().get(0);
    long t = y.getShape().get(1);
    // the heads read only the cells asked for (the hidden events): a sixth of the work of all cells
    NDArray read = in.size() > 5 ? y.reshape(b * t, width).gather(in.get(5), 0) : y;
    return new NDList(apply(actionOut, ps, read, training), apply(gapOut, ps, read, training),
        apply(categoryOut, ps, read, training), y);
  }

  /** The encoder's states (batch, length, width) for the first five inputs, without the output heads. */
  NDArray encode(ParameterStore ps, NDList in, boolean training) {
    NDArray tok = in.get(0);
    NDManager m = tok.getManager();
    long b = tok.getShape().get(0);
    long t = tok.getShape().get(1);
    NDArray hidden = in.get(4).expandDims(2); // (B, T, 1): 1 where the event is masked
    NDArray content = embed(ps, tokens, tok, training).add(embed(ps, gaps, in.get(1), training))
        .add(embed(ps, categories, in.get(2), training)).add(apply(price, ps, in.get(3), training));
    NDArray pos = ps.getValue(positions, tok.getDevice(), training).get("0:" + t).expandDims(0);
    NDArray x = content.mul(hidden.neg().add(DjlRuntime.scalar(m, 1f)))
        .add(hidden.mul(ps.getValue(mask, tok.getDevice(), training))).add(pos); // (B, T, M)
    NDArray pad = tok.eq(0).toType(DataType.FLOAT32, false).mul(DjlRuntime.scalar(m, -1e9f)).reshape(b, 1, 1, t);
    int d = width / heads;
    NDArray scale = DjlRuntime.scalar(m, (float) (1 / Math.sqrt(d)));
    for (Layer l : layers) {
      NDArray qkv = apply(l.qkv(), ps, apply(l.attentionNorm(), ps, x, training), training)
          .reshape(b, t, 3, heads, d).transpose(2, 0, 3, 1, 4); // (3, B, H, T, d)
      NDArray q = qkv.get(0);
      NDArray k = qkv.get(1);
      NDArray v = qkv.get(2);
      NDArray attention = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(pad).softmax(3); // (B, H, T, T)
      NDArray context = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, width);
      x = x.add(apply(l.project(), ps, context, training));
      NDArray f = apply(l.ff1(), ps, apply(l.feedNorm(), ps, x, training), training).getNDArrayInternal().relu();
      x = x.add(apply(l.ff2(), ps, f, training));
    }
    return apply(norm, ps, x, training);
  }

  int width() {
    return width;
  }

  int heads() {
    return heads;
  }

  int layers() {
    return layers.size();
  }

  /** The embedding tables: tokens, gaps, categories, positions and the mask vector, in that order. */
  List<Parameter> tables() {
    return List.of(tokens, gaps, categories, positions, mask);
  }

  /**
   * A sub-block by its name: {@code price}, {@code norm}, {@code action_out}, {@code gap_out},
   * {@code category_out}, or a block's {@code attention_norm_L}, {@code qkv_L}, {@code project_L},
   * {@code feed_norm_L}, {@code ff1_L}, {@code ff2_L}.
   */
  Block child(String name) {
    switch (name) {
      case "price": return price;
      case "norm": return norm;
      case "action_out": return actionOut;
      case "gap_out": return gapOut;
      case "category_out": return categoryOut;
      default: break;
    }
    int at = name.lastIndexOf('_');
    Layer l = layers.get(Integer.parseInt(name.substring(at + 1)));
    return switch (name.substring(0, at)) {
      case "attention_norm" -> l.attentionNorm();
      case "qkv" -> l.qkv();
      case "project" -> l.project();
      case "feed_norm" -> l.feedNorm();
      case "ff1" -> l.ff1();
      case "ff2" -> l.ff2();
      default -> throw new IllegalArgumentException("no block " + name);
    };
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    long t = inputShapes[0].get(1);
    if (inputShapes.length > 5) {
      long k = inputShapes[5].get(0);
      return new Shape[] {new Shape(k, vocabulary), new Shape(k, gapBuckets), new Shape(k, categoryBuckets),
          new Shape(b, t, width)};
    }
    return new Shape[] {new Shape(b, t, vocabulary), new Shape(b, t, gapBuckets), new Shape(b, t, categoryBuckets),
        new Shape(b, t, width)};
  }

  /** Input shapes for batches of {@code batch} windows. */
  static Shape[] shapes(int batch, int window) {
    Shape s = new Shape(batch, window);
    return new Shape[] {s, s, s, new Shape(batch, window, 2), s};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    long t = inputShapes[0].get(1);
    Shape states = new Shape(b, t, width);
    price.initialize(manager, dataType, new Shape(b, t, 2));
    for (Layer l : layers) {
      l.attentionNorm().initialize(manager, dataType, states);
      l.qkv().initialize(manager, dataType, states);
      l.project().initialize(manager, dataType, states);
      l.feedNorm().initialize(manager, dataType, states);
      l.ff1().initialize(manager, dataType, states);
      l.ff2().initialize(manager, dataType, new Shape(b, t, 4L * width));
    }
    norm.initialize(manager, dataType, states);
    actionOut.initialize(manager, dataType, states);
    gapOut.initialize(manager, dataType, states);
    categoryOut.initialize(manager, dataType, states);
  }
}
