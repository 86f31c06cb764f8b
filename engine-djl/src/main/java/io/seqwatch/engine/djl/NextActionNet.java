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
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * Embedding, stacked GRU or LSTM layers, and a linear layer over the vocabulary: input a batch of
 * windows of token ids (batch, window), output next-token logits (batch, vocabulary).
 *
 * <p>Thread-safety: parameters are shared; forward passes with separate parameter stores may run
 * concurrently for inference. Training is single-threaded.
 */
final class NextActionNet extends AbstractBlock {
  private final int outputs;
  private final int embedding;
  private final int hidden;
  private final Parameter embeddingWeight;
  private final Block rnn;
  private final Block out;

  NextActionNet(String cell, int vocabulary, int embedding, int hidden, int layers, float dropout) {
    this(cell, vocabulary, embedding, hidden, layers, dropout, vocabulary);
  }

  /**
   * @param outputs output units: the vocabulary for next-action logits, 1 for a sequence classifier
   */
  NextActionNet(String cell, int vocabulary, int embedding, int hidden, int layers, float dropout, int outputs) {
    super((byte) 1);
    this.outputs = outputs;
    this.embedding = embedding;
    this.hidden = hidden;
    this.embeddingWeight = addParameter(Parameter.builder().setName("embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(vocabulary, embedding))
        .optInitializer(new XavierInitializer()).build());
    Block r = cell.equals("lstm")
        ? LSTM.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true).optReturnState(false)
            .optDropRate(dropout).build()
        : GRU.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true).optReturnState(false)
            .optDropRate(dropout).build();
    this.rnn = addChildBlock("rnn", r);
    this.out = addChildBlock("out", Linear.builder().setUnits(outputs).build());
    // set here, not at initialisation, so that SeededInitializer.seed sees it before the weights are drawn
    rnn.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    out.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
  }

  /** The embedding table, {@code [vocabulary, embedding]}. */
  Parameter embeddingWeight() {
    return embeddingWeight;
  }

  /** The stacked recurrent block. */
  Block rnn() {
    return rnn;
  }

  /** The output layer. */
  Block out() {
    return out;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = ps.getValue(embeddingWeight, x.getDevice(), training);
    NDArray e = Embedding.embedding(x, w, SparseFormat.DENSE).singletonOrThrow();
    NDArray h = rnn.forward(ps, new NDList(e), training).head();
    NDArray last = h.get(":, -1, :");
    return out.forward(ps, new NDList(last), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    rnn.initialize(manager, dataType, new Shape(in.get(0), in.get(1), embedding));
    out.initialize(manager, dataType, new Shape(in.get(0), hidden));
  }
}
