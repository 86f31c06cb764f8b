package io.seqwatch.engine.djl;

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
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * LSTM sequence autoencoder: embedding, an encoder LSTM whose last state is the code, the code
 * repeated over every position into a decoder LSTM, and a linear layer to token logits. Input
 * (batch, length) token ids, output (batch, length, vocabulary) logits reconstructing the input.
 *
 * <p>Thread-safety: as {@link NextActionNet}.
 */
final class SequenceAutoencoderNet extends AbstractBlock {
  private final int vocabulary;
  private final int embedding;
  private final int hidden;
  private final Parameter embeddingWeight;
  private final Block encoder;
  private final Block decoder;
  private final Block out;

  SequenceAutoencoderNet(int vocabulary, int embedding, int hidden) {
    super((byte) 1);
    this.vocabulary = vocabulary;
    this.embedding = embedding;
    this.hidden = hidden;
    this.embeddingWeight = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(vocabulary, embedding)).optInitializer(new XavierInitializer()).build());
    this.encoder = addChildBlock("encoder", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
        .optReturnState(false).build());
    this.decoder = addChildBlock("decoder", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
        .optReturnState(false).build());
    this.out = addChildBlock("out", Linear.builder().setUnits(vocabulary).build());
    // set here, not at initialisation, so that SeededInitializer.seed sees it before the weights are drawn
    for (Block b : new Block[] {encoder, decoder, out}) {
      b.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }
  }

  Parameter embeddingWeight() {
    return embeddingWeight;
  }

  Block encoder() {
    return encoder;
  }

  Block decoder() {
    return decoder;
  }

  Block out() {
    return out;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long length = x.getShape().get(1);
    NDArray w = ps.getValue(embeddingWeight, x.getDevice(), training);
    NDArray e = Embedding.embedding(x, w, SparseFormat.DENSE).singletonOrThrow();
    NDArray h = encoder.forward(ps, new NDList(e), training).head();
    NDArray code = h.get(":, -1, :").expandDims(1).repeat(1, length);
    NDArray d = decoder.forward(ps, new NDList(code), training).head();
    return out.forward(ps, new NDList(d), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabulary)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    encoder.initialize(manager, dataType, new Shape(in.get(0), in.get(1), embedding));
    decoder.initialize(manager, dataType, new Shape(in.get(0), in.get(1), hidden));
    out.initialize(manager, dataType, new Shape(in.get(0), in.get(1), hidden));
  }
}
