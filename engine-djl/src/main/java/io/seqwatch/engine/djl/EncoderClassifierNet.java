package io.seqwatch.engine.djl;

import io.seqwatch.engine.common.MaskedEventConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A classification head on a {@link MaskedEventNet} encoder: the mean of the encoder's states over
 * a window's events (padding left out) and the log of their number (a mean alone cannot tell a
 * burst of a hundred events from three) and the pretrained encoder's own verdict on the whole
 * sequence (log1p of the typical-set z of its action, gap and category surprise, a sixth input
 * (batch, 3)), then one linear unit, the logit of "anomalous". The head starts from what the
 * unlabelled encoder already finds and the labels teach it what to add. Inputs as
 * the encoder's first five (the mask hides events, which explanations use for occlusion); output
 * the logits (batch, 1).
 *
 * <p>Thread-safety: as {@link NextActionNet}: a forward pass at a time.
 */
final class EncoderClassifierNet extends AbstractBlock {
  /** The surprise features: one per part (action, gap, category). */
  static final int SURPRISE = 3;
  private final MaskedEventNet encoder;
  private final Block head;

  EncoderClassifierNet(MaskedEventConfig c) {
    super((byte) 1);
    this.encoder = addChildBlock("encoder", new MaskedEventNet(c));
    this.head = addChildBlock("head", Linear.builder().setUnits(1).build());
    head.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
  }

  MaskedEventNet encoder() {
    return encoder;
  }

  /**
   * Sets the head to the unlabelled encoder's verdict: weight 1 on each surprise feature, 0 on the
   * states and the length, and {@code bias}. Before any label the ranking is then the encoder's own
   * (the sum of the parts' log1p z), and a few labels adjust it rather than replace it with whatever
   * separates ten examples in 64 random directions. The bias centres the starting logits on the
   * labelled sequences (see {@link #centring}): otherwise every logit starts high, and the first
   * hundreds of steps lower all weights together, the length's too, to make them small.
   */
  void startFromSurprise(float bias) {
    ai.djl.nn.Parameter w = head.getParameters().valueAt(0);
    float[] v = new float[(int) w.getArray().size()];
    for (int i = v.length - SURPRISE; i < v.length; i++) {
      v[i] = 1f;
    }
    w.getArray().set(v);
    ai.djl.nn.Parameter b = head.getParameters().valueAt(1);
    float[] c = new float[(int) b.getArray().size()];
    java.util.Arrays.fill(c, bias);
    b.getArray().set(c);
  }

  /**
   * The starting bias: minus the midpoint of the anomalous and the normal sequences' mean starting
   * logit (the sum of their surprise features), where the class-balanced loss would put a constant.
   */
  static float centring(float[][] surprise, int[] rows, java.util.function.IntPredicate anomalous) {
    double[] sum = new double[2];
    int[] count = new int[2];
    for (int r : rows) {
      int k = anomalous.test(r) ? 1 : 0;
      for (float f : surprise[r]) {
        sum[k] += f;
      }
      count[k]++;
    }
    if (count[0] == 0 || count[1] == 0) {
      return 0;
    }
    return (float) -(sum[0] / count[0] + sum[1] / count[1]) / 2;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
    NDArray y = encoder.encode(ps, in, training); // (B, T, M)
    NDArray present = in.get(0).neq(0).toType(DataType.FLOAT32, false).expandDims(2); // (B, T, 1)
    NDArray count = present.sum(new int[] {1}); // (B, 1)
    NDArray pooled = y.mul(present).sum(new int[] {1}).div(count.maximum(1f)); // (B, M)
    NDArray length = count.add(DjlRuntime.scalar(count.getManager(), 1f)).log(); // (B, 1)
    return new NDList(head.forward(ps, new NDList(NDArrays.concat(new NDList(pooled, length, in.get(5)), 1)), training).head());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
  }

  /** Input shapes for batches of {@code batch} windows. */
  static Shape[] shapes(int batch, int window) {
    Shape[] e = MaskedEventNet.shapes(batch, window);
    Shape[] out = java.util.Arrays.copyOf(e, e.length + 1);
    out[e.length] = new Shape(batch, SURPRISE);
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, java.util.Arrays.copyOf(inputShapes, 5));
    head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoder.width() + 1L + SURPRISE));
  }
}
