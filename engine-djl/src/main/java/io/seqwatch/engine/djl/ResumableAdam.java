package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (with linear warm-up, weight decay and gradient clipping, as {@link TrainingLoop#adam}) whose
 * state, the step count and both moment estimates of every parameter, can be written and read back,
 * so that pretraining resumed from a checkpoint takes exactly the steps an uninterrupted run takes.
 * The update is the engine's fused Adam step, the one DJL's own {@code Adam} calls. State is keyed by
 * the parameter's path in the block (DJL's parameter ids are random per instance).
 *
 * <p>Thread-safety: not thread-safe; one trainer's optimiser.
 */
final class ResumableAdam extends Optimizer {
  private static final int MAGIC = 0x53514144; // "SQAD"
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;
  private final Tracker rate;
  private final Map<String, String> pathById = new HashMap<>();
  private final Map<String, NDArray> means = new HashMap<>();
  private final Map<String, NDArray> variances = new HashMap<>();
  private final Map<String, Integer> steps = new HashMap<>();
  private final Block block;
  private java.util.function.ToDoubleFunction<String> scale = path -> 1;
  private final Map<String, NDArray> anchors = new HashMap<>();
  private final Map<String, NDArray> anchorMasks = new HashMap<>();
  private float anchor;
  private java.util.function.Function<String, float[]> anchorMask = path -> null;

  private ResumableAdam(Builder b, Block block, float rate, int warmup) {
    super(b);
    this.block = block;
    this.rate = warmup > 0
        ? Tracker.warmUp().setMainTracker(Tracker.fixed(rate)).optWarmUpSteps(warmup).optWarmUpBeginValue(rate / 10).build()
        : Tracker.fixed(rate);
    for (Pair<String, Parameter> p : block.getParameters()) {
      pathById.put(p.getValue().getId(), p.getKey());
    }
  }

  /** Adam over {@code block}'s parameters. */
  static ResumableAdam of(Block block, float rate, int warmup, float weightDecay, float clip) {
    Builder b = new Builder();
    b.optWeightDecays(weightDecay);
    if (clip > 0) {
      b.optClipGrad(clip);
    }
    return new ResumableAdam(b, block, rate, warmup);
  }

  /**
   * Scales the learning rate of each parameter by {@code scale} of its path (0 freezes it): a
   * pretrained encoder fine-tuned slowly under a new head, say.
   */
  ResumableAdam scaled(java.util.function.ToDoubleFunction<String> scale) {
    this.scale = java.util.Objects.requireNonNull(scale, "scale");
    return this;
  }

  /**
   * Pulls every trained parameter towards its value at its first update with the gradient of {@code
   * strength * |w - w0|^2} added to the loss's (L2-SP, Li et al. 2018): what a few labels cannot
   * support stays where pretraining put it. 0 (the default) leaves Adam as it is. {@code mask} gives
   * each element of a parameter (by path) its share of the pull, 0 leaving it free; null pulls every
   * element. The starting values are not part of {@link #write}: for fine-tuning runs, which are not
   * resumed.
   */
  ResumableAdam anchored(double strength, java.util.function.Function<String, float[]> mask) {
    if (!(strength >= 0) || Double.isInfinite(strength)) {
      throw new IllegalArgumentException("anchor strength " + strength + " is not finite and >= 0");
    }
    this.anchor = (float) strength;
    this.anchorMask = java.util.Objects.requireNonNull(mask, "mask");
    return this;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    String path = pathById.get(parameterId);
    if (path == null) {
      throw new IllegalStateException("parameter " + parameterId + " is not one of the block's");
    }
    double factor = scale.applyAsDouble(path);
    if (factor == 0) {
      return; // frozen
    }
    int t = steps.merge(path, 1, Integer::sum);
    double correction1 = 1 - Math.pow(BETA1, t);
    double correction2 = 1 - Math.pow(BETA2, t);
    float lr = (float) (rate.getNewValue(t) * factor);
    float corrected = (float) (lr * Math.sqrt(correction2) / correction1);
    NDArray mean = means.computeIfAbsent(path, k -> weight.zerosLike());
    NDArray variance = variances.computeIfAbsent(path, k -> weight.zerosLike());
    NDArray pulled = null;
    NDArray share = anchor > 0 ? anchorShare(path, weight) : null;
    if (share != null) {
      NDArray start = anchors.computeIfAbsent(path, k -> weight.duplicate());
      try (NDArray away = weight.sub(start)) {
        pulled = grad.add(away.muli(share).muli(2 * anchor));
      }
    }
    try {
      weight.getNDArrayInternal().adamUpdate(new NDList(weight, pulled == null ? grad : pulled, mean, variance),
          new NDList(weight), lr, corrected, getWeightDecay(), rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, false);
    } finally {
      if (pulled != null) {
        pulled.close();
      }
    }
  }

  /**
   * The share of the anchor's pull on each element of the parameter at {@code path}, made once per
   * parameter; null when the mask leaves every element free (no starting copy, no arithmetic).
   */
  private NDArray anchorShare(String path, NDArray weight) {
    if (!anchorMasks.containsKey(path)) {
      float[] m = anchorMask.apply(path);
      NDArray share = null;
      if (m == null) {
        share = weight.onesLike();
      } else {
        if (m.length != weight.size()) {
          throw new IllegalArgumentException("anchor mask of " + m.length + " values for " + path + " of " + weight.size());
        }
        for (float f : m) {
          if (f != 0) {
            share = weight.zerosLike();
            share.set(m);
            break;
          }
        }
      }
      anchorMasks.put(path, share);
    }
    return anchorMasks.get(path);
  }

  /** Writes the step counts and moments, parameters in the block's order. */
  void write(DataOutputStream out) {
    try {
      out.writeInt(MAGIC);
      var params = block.getParameters();
      out.writeInt(params.size());
      for (Pair<String, Parameter> p : params) {
        String path = p.getKey();
        out.writeUTF(path);
        out.writeInt(steps.getOrDefault(path, 0));
        writeArray(out, means.get(path));
        writeArray(out, variances.get(path));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    if (a == null) {
      out.writeInt(-1);
      return;
    }
    float[] v = a.toFloatArray();
    out.writeInt(v.length);
    for (float f : v) {
      out.writeFloat(f);
    }
  }

  /**
   * Reads state written by {@link #write} for the same block.
   *
   * @throws ModelFormatException when it belongs to another network
   */
  void read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new ModelFormatException("the checkpoint's optimiser state does not start with its marker");
    }
    var params = block.getParameters();
    int n = in.readInt();
    if (n != params.size()) {
      throw new ModelFormatException("the checkpoint's optimiser state has " + n + " parameters, the network " + params.size());
    }
    for (Pair<String, Parameter> p : params) {
      String path = in.readUTF();
      if (!path.equals(p.getKey())) {
        throw new ModelFormatException("the checkpoint's optimiser state has parameter " + path + " where the network has " + p.getKey());
      }
      int t = in.readInt();
      if (t > 0) {
        steps.put(path, t);
      }
      NDArray weight = p.getValue().getArray();
      readArray(in, weight, path, means);
      readArray(in, weight, path, variances);
    }
  }

  private static void readArray(DataInputStream in, NDArray weight, String path, Map<String, NDArray> into) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return;
    }
    if (n != weight.size()) {
      throw new ModelFormatException("the checkpoint's optimiser state for " + path + " has " + n + " values, the weight " + weight.size());
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    NDArray a = weight.zerosLike();
    a.set(v);
    NDArray old = into.put(path, a);
    if (old != null) {
      old.close();
    }
  }

  /** The optimiser's builder (DJL's is abstract). */
  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
