package io.seqwatch.engine.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventScorer;
import io.seqwatch.engine.common.MaskedEventWindows;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Exportable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained masked-event encoder ({@code masked-transformer}) on DJL: the passes of {@link
 * MaskedEventScorer} run through a {@link MaskedEventNet}. Exports to {@code onnx} (float32) and
 * {@code onnx-int8} (the linear layers' weights quantised to int8 per output column, activations
 * quantised per pass), both scored by seqwatch-engine-onnx.
 *
 * <p>Native memory: the parameters live in a DJL model released by {@link #close()}.
 * Thread-safety: safe for concurrent scoring (forward passes are serialised per model).
 */
final class MaskedEventModel extends MaskedEventScorer implements Exportable {
  private static final Logger LOG = LoggerFactory.getLogger(MaskedEventModel.class);
  static final String WEIGHTS = "weights.params";

  private final Model djl;
  private final MaskedEventNet net;

  /**
   * @param tokens the sequence encoder's vocabulary (what the sequences' token ids mean)
   * @param tokenMap an encoder token id to the network's
   */
  MaskedEventModel(ModelProvenance provenance, MaskedEventConfig config, List<String> tokens, int[] tokenMap, Model djl,
      MaskedEventNet net) {
    super(provenance, config, tokens, tokenMap);
    this.djl = djl;
    this.net = net;
    net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
  }

  MaskedEventNet net() {
    return net;
  }

  @Override
  protected <T> T inference(java.util.function.Supplier<T> passes) {
    return DjlRuntime.withoutGrad(passes);
  }

  /**
   * One forward pass: per hidden cell (row-major) the surprise of its event (action + gap +
   * category, in nats; category only where the event has one), the most likely action and its
   * probability. The cells are padded to {@code CHUNK * ceil(t / passes)}, the most a pass can
   * hide, so the heads too run on a shape fixed by the length class.
   */
  @Override
  protected float[][] forward(MaskedEventWindows w, int[] rows, int t, float[] mask) {
    int width = config().width();
    MaskedEventWindows.Cells cells = w.cells(rows, t, mask, width, cellsPerPass(t));
    synchronized (net) {
      try (NDManager m = djl.getNDManager().newSubManager()) {
        NDList in = batch(w, m, rows, t, mask);
        NDList targets = arrays(cells, m, width);
        in.add(targets.get(0));
        NDList out = net.forward(new ParameterStore(m, false), in, false);
        NDList parts = parts(out, targets);
        NDArray actions = out.get(0).logSoftmax(1);
        return new float[][] {parts.get(0).add(parts.get(1)).add(parts.get(2)).toFloatArray(),
            actions.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
            actions.max(new int[] {1}).exp().toFloatArray(), parts.get(0).toFloatArray(), parts.get(1).toFloatArray(),
            parts.get(2).toFloatArray()};
      }
    }
  }

  /**
   * Per predicted cell: the negative log-likelihood of its event's action, gap bucket and (where
   * present) category under the network's outputs ({@code (cells, classes)} each); {@code targets}
   * is {@link MaskedEventWindows.Cells#arrays}. Training and scoring share it.
   */
  static NDArray surprise(NDList out, NDList targets) {
    NDList p = parts(out, targets);
    return p.get(0).add(p.get(1)).add(p.get(2));
  }

  /** The action, gap and category surprise of each predicted cell, apart ({@code (cells)} each). */
  static NDList parts(NDList out, NDList targets) {
    NDArray action = out.get(0).logSoftmax(1).gather(targets.get(1), 1).neg().reshape(-1);
    NDArray gap = out.get(1).logSoftmax(1).gather(targets.get(2), 1).neg().reshape(-1);
    NDArray category = out.get(2).logSoftmax(1).gather(targets.get(3), 1).mul(targets.get(4)).neg().reshape(-1);
    return new NDList(action, gap, category);
  }

  @Override
  protected float[] states(MaskedEventWindows w, int[] rows, int t) {
    synchronized (net) {
      try (NDManager m = djl.getNDManager().newSubManager()) {
        return net.forward(new ParameterStore(m, false), batch(w, m, rows, t, new float[rows.length * t]), false).get(3)
            .toFloatArray();
      }
    }
  }

  /**
   * The network's inputs for {@code rows} of {@code w} (-1: an empty row), padded to {@code t}
   * events, with {@code mask} ({@code [rows, t]}, 1 = hidden) as the fifth input.
   */
  static NDList batch(MaskedEventWindows w, NDManager m, int[] rows, int t, float[] mask) {
    MaskedEventWindows.Batch b = w.batch(rows, t);
    Shape s = new Shape(rows.length, t);
    return new NDList(DjlRuntime.owned(m.create(b.tokens(), s)), DjlRuntime.owned(m.create(b.gaps(), s)),
        DjlRuntime.owned(m.create(b.categories(), s)), DjlRuntime.owned(m.create(b.prices(), new Shape(rows.length, t, 2))),
        DjlRuntime.owned(m.create(mask, s)));
  }

  /** The network's sixth input (the cells to predict) and the cells' targets, as arrays. */
  static NDList arrays(MaskedEventWindows.Cells c, NDManager m, int width) {
    Shape one = new Shape(c.count(), 1);
    return new NDList(DjlRuntime.owned(m.create(c.index(), new Shape(c.count(), width))),
        DjlRuntime.owned(m.create(c.actions(), one)), DjlRuntime.owned(m.create(c.gaps(), one)),
        DjlRuntime.owned(m.create(c.categories(), one)), DjlRuntime.owned(m.create(c.hasCategory(), one)));
  }

  /** {@code onnx} (float32 weights) and {@code onnx-int8} (int8 weights), both for seqwatch-engine-onnx. */
  @Override
  public Set<String> exportTargets() {
    return Set.of(OnnxExport.ONNX, OnnxExport.ONNX_INT8);
  }

  @Override
  public String engine(String target) {
    return OnnxExport.ONNX;
  }

  @Override
  public void export(String target, ArtifactWriter out) throws IOException {
    requireOpen();
    if (!exportTargets().contains(target)) {
      throw new ConfigurationException(detector() + " cannot be exported to " + target + "; it exports to onnx, onnx-int8");
    }
    MaskedEventExport.write(this, target.equals(OnnxExport.ONNX_INT8), out);
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    requireOpen();
    try (OutputStream s = out.create(CONFIG)) {
      configFile().write(s);
    }
    try (OutputStream s = out.create(WEIGHTS)) {
      s.write(NextActionModel.weights(net));
    }
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
