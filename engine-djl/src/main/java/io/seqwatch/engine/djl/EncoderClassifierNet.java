package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
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
 * a window's events (padding left out), then one linear unit, the logit of "anomalous". Inputs as
 * the encoder's first five (the mask hides events, which explanations use for occlusion); output
 * the logits (batch, 1).
 *
 * <p>Thread-safety: as {@link NextActionNet}: a forward pass at a time.
 */
final class EncoderClassifierNet extends AbstractBlock {
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

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
    NDArray y = encoder.encode(ps, in, training); // (B, T, M)
    NDArray present = in.get(0).neq(0).toType(DataType.FLOAT32, false).expandDims(2); // (B, T, 1)
    NDArray pooled = y.mul(present).sum(new int[] {1}).div(present.sum(new int[] {1}).maximum(1f)); // (B, M)
    return new NDList(head.forward(ps, new NDList(pooled), training).head());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoder.width()));
  }
}
