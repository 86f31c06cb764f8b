package io.seqwatch.engine.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.engine.common.NextActionScorer;
import io.seqwatch.engine.common.Windows;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Exportable;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained GRU, LSTM or transformer next-action model on DJL/PyTorch. Scoring, aggregation and
 * reasons are {@link NextActionScorer}'s; this class runs the forward passes, each in its own
 * sub-manager closed before the call returns, with PyTorch's grad mode pinned off.
 *
 * <p>Native memory: the parameters live in a DJL model released by {@link #close()}.
 * Thread-safety: safe for concurrent scoring (forward passes are serialised per model: the DJL
 * PyTorch forward pass of a shared block crashed natively under concurrent calls here).
 */
final class NextActionModel extends NextActionScorer implements Exportable {
  private static final Logger LOG = LoggerFactory.getLogger(NextActionModel.class);
  static final String CONFIG = NextActionScorer.CONFIG;
  static final String WEIGHTS = "weights.params";

  private final Model djl;
  private final ai.djl.nn.Block net;

  NextActionModel(ModelProvenance provenance, NextActionConfig config, List<String> tokens, Model djl,
      ai.djl.nn.Block net) {
    super(provenance, config, tokens);
    this.djl = djl;
    this.net = net;
    // inference only from here on: no autograd graphs behind the forward passes
    net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
  }

  ai.djl.nn.Block net() {
    return net;
  }

  /** Native arrays the model's DJL manager holds, its sub-managers included (a leak shows as growth). */
  int heldArrays() {
    return djl.getNDManager().getManagedArrays().size();
  }

  /** Network inputs for a batch, as DJL arrays. */
  static NDList inputs(NDManager m, Windows.Batch b) {
    Shape shape = new Shape(b.rows(), b.window());
    if (b.gaps() == null) {
      return new NDList(DjlRuntime.owned(m.create(b.tokens(), shape)));
    }
    NDList out = new NDList(DjlRuntime.owned(m.create(b.tokens(), shape)), DjlRuntime.owned(m.create(b.gaps(), shape)),
        DjlRuntime.owned(m.create(b.categories(), shape)), DjlRuntime.owned(m.create(b.prices(), new Shape(b.rows(), b.window(), 2))));
    if (b.attributeIds() != null) {
      out.add(DjlRuntime.owned(m.create(b.attributeIds(), new Shape(b.rows(), b.window(), b.slots()))));
    }
    if (b.attributeValues() != null) {
      out.add(DjlRuntime.owned(m.create(b.attributeValues(), new Shape(b.rows(), b.window(), b.values()))));
    }
    if (b.attributeTargets() != null) {
      out.add(DjlRuntime.owned(m.create(b.attributeTargets(), new Shape(b.rows(), b.predicted()))));
    }
    return out;
  }

  /** Input shapes for initialising a network with batches of {@code batch} rows. */
  static Shape[] shapes(NextActionConfig c, int batch) {
    Shape s = new Shape(batch, c.window());
    if (!c.side()) {
      return new Shape[] {s};
    }
    java.util.List<Shape> out = new java.util.ArrayList<>(List.of(s, s, s, new Shape(batch, c.window(), 2)));
    if (c.fusion() && c.attributes().slots() > 0) {
      out.add(new Shape(batch, c.window(), c.attributes().slots()));
    }
    if (c.fusion() && c.attributes().values() > 0) {
      out.add(new Shape(batch, c.window(), c.attributes().values()));
    }
    if (c.predictedAttributes() > 0) {
      out.add(new Shape(batch, c.predictedAttributes()));
    }
    return out.toArray(new Shape[0]);
  }

  @Override
  protected <T> T inference(Supplier<T> body) {
    return DjlRuntime.withoutGrad(body);
  }

  @Override
  protected boolean forward(Windows.Batch batch, float[] logProbs, float[] attributeLogProbs, float[] attention,
      float[] gates, boolean wantAttention) {
    try (NDManager step = djl.getNDManager().newSubManager()) {
      NDList outputs = net.forward(new ParameterStore(step, false), inputs(step, batch), false);
      NDArray lp = outputs.head().logSoftmax(1);
      System.arraycopy(lp.toFloatArray(), 0, logProbs, 0, logProbs.length);
      if (config().predictedAttributes() > 0) {
        System.arraycopy(outputs.get(3).toFloatArray(), 0, attributeLogProbs, 0, attributeLogProbs.length);
      }
      if (wantAttention && outputs.size() > 1) {
        System.arraycopy(outputs.get(1).toFloatArray(), 0, attention, 0, attention.length);
        if (outputs.size() > 2) {
          System.arraycopy(outputs.get(2).toFloatArray(), 0, gates, 0, gates.length);
        }
        return true;
      }
      return false;
    }
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    requireOpen();
    try (OutputStream s = out.create(CONFIG)) {
      configFile().write(s);
    }
    try (OutputStream s = out.create(WEIGHTS)) {
      s.write(weights(net));
    }
  }

  /** {@code onnx} for every cell: gru, lstm and the transformer. */
  @Override
  public Set<String> exportTargets() {
    return Set.of("onnx");
  }

  @Override
  public void export(String target, ArtifactWriter out) throws IOException {
    requireOpen();
    if (!exportTargets().contains(target)) {
      throw new ConfigurationException(detector() + " cannot be exported to " + target + "; it exports to onnx");
    }
    OnnxExport.nextAction(this, out);
  }

  /** DJL's parameter serialisation of a block, as bytes. */
  static byte[] weights(ai.djl.nn.Block net) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(bytes)) {
      net.saveParameters(d);
    }
    return bytes.toByteArray();
  }

  @Override
  protected void release() {
    try {
      djl.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the {} model failed: {}", detector(), e.toString());
    }
  }
}
