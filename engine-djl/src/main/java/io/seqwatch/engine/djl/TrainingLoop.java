package io.seqwatch.engine.djl;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.seqwatch.engine.common.Windows;
import io.seqwatch.spi.TrainingListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * The one training loop of the DJL detectors: epochs over a seeded shuffle of the training rows,
 * batches in a sub-manager (built inside the first step's gradient collector), each batch stepping one trainer or several in turn (the GAN steps its
 * discriminator, then its generator), {@link DivergenceGuard}'s check of every loss before its
 * backward pass (a NaN never reaches the weights), an optional validation loss with early stopping
 * that keeps the best epoch's weights, and one progress line per epoch for the training listener.
 * The optimiser the detectors train with (Adam with warm-up, weight decay and gradient clipping) is
 * built by {@link #adam}. A detector supplies only how rows become a batch and a batch a loss.
 *
 * <pre>{@code
 * TrainingLoop.Result r = TrainingLoop.<NDList>over(order, batch, epochs, random)
 *     .inputs((bm, rows) -> new NDList(bm.create(...)))
 *     .step(trainer, (tr, bm, x) -> tr.getLoss().evaluate(x, tr.forward(x)))
 *     .progress(listener, e -> String.format("loss %.4f", e.loss(0)))
 *     .run();
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one loop per training thread, run once.
 *
 * @param <I> what a batch's rows become, shared by the batch's steps
 */
final class TrainingLoop<I> {
  /** What the rows of one batch become (arrays in {@code batch}, closed after the batch's steps). */
  @FunctionalInterface
  interface Inputs<I> {
    I of(NDManager batch, int[] rows);
  }

  /** One trainer's loss on a batch's inputs. */
  @FunctionalInterface
  interface BatchLoss<I> {
    NDArray loss(Trainer trainer, NDManager batch, I inputs);
  }

  /** Saves and restores a network's weights: the best epoch's are kept while the loop runs on. */
  interface Checkpoint {
    byte[] save() throws IOException;

    void restore(byte[] weights) throws IOException, MalformedModelException;

    /** A block's parameters as DJL serialises them, restored into arrays of {@code manager}. */
    static Checkpoint of(ai.djl.nn.Block net, NDManager manager) {
      return new Checkpoint() {
        @Override
        public byte[] save() throws IOException {
          return NextActionModel.weights(net);
        }

        @Override
        public void restore(byte[] weights) throws IOException, MalformedModelException {
          net.loadParameters(manager, new java.io.DataInputStream(new java.io.ByteArrayInputStream(weights)));
        }
      };
    }
  }

  /** The progress line of an epoch. */
  @FunctionalInterface
  interface Progress {
    String line(Epoch epoch);
  }

  /**
   * A finished epoch: the mean loss of each step (weighted by batch size, in the order the steps
   * were added), the validation loss ({@code NaN} without validation) and the rows trained per second.
   */
  record Epoch(int number, double[] losses, double validation, double rowsPerSecond) {
    double loss(int step) {
      return losses[step];
    }
  }

  /** What the loop did: epochs run and the best validation loss ({@code NaN} without validation). */
  record Result(int epochsRun, double bestValidation) {}

  private record Step<I>(Trainer trainer, BatchLoss<I> loss) {}

  private final int[] order;
  private final int batch;
  private final int epochs;
  private final Random random;
  private final List<Step<I>> steps = new ArrayList<>();
  private Inputs<I> inputs;
  private DoubleUnaryOperator validation;
  private int patience;
  private Checkpoint checkpoint;
  private TrainingListener listener = TrainingListener.NONE;
  private Progress progress = e -> "";
  private int done;
  private EpochEnd end = e -> { };
  private Arrange arrange = (order, random) -> { };

  /** Rearranges an epoch's shuffled rows before they are cut into batches (drawing only from {@code random}). */
  @FunctionalInterface
  interface Arrange {
    void apply(int[] order, Random random);
  }

  /** Called after every epoch, e.g. to write a checkpoint a later run resumes from. */
  @FunctionalInterface
  interface EpochEnd {
    void after(Epoch epoch) throws IOException;
  }

  private TrainingLoop(int[] order, int batch, int epochs, Random random) {
    this.order = order;
    this.batch = batch;
    this.epochs = epochs;
    this.random = random;
  }

  /**
   * A loop over the rows in {@code order} (shuffled in place before every epoch with {@code random};
   * a row listed twice is trained twice per epoch).
   */
  static <I> TrainingLoop<I> over(int[] order, int batch, int epochs, Random random) {
    if (batch < 1 || epochs < 1) {
      throw new IllegalArgumentException("batch " + batch + " and epochs " + epochs + " must be positive");
    }
    return new TrainingLoop<>(Objects.requireNonNull(order, "order"), batch, epochs, Objects.requireNonNull(random, "random"));
  }

  /** A loop over rows {@code 0 .. rows - 1}. */
  static <I> TrainingLoop<I> over(int rows, int batch, int epochs, Random random) {
    return over(Windows.range(0, rows), batch, epochs, random);
  }

  TrainingLoop<I> inputs(Inputs<I> f) {
    this.inputs = Objects.requireNonNull(f, "inputs");
    return this;
  }

  /** Adds a trainer stepped on every batch, after the steps added before it. */
  TrainingLoop<I> step(Trainer trainer, BatchLoss<I> loss) {
    steps.add(new Step<>(Objects.requireNonNull(trainer, "trainer"), Objects.requireNonNull(loss, "loss")));
    return this;
  }

  /**
   * Early stopping: after every epoch {@code loss} maps the first step's training loss to the
   * validation loss; training stops after {@code patience} epochs without an improvement of 1e-4
   * and ends with the weights of the best epoch, kept through {@code checkpoint}.
   */
  TrainingLoop<I> validate(DoubleUnaryOperator loss, int patience, Checkpoint checkpoint) {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be positive: " + patience);
    }
    this.validation = Objects.requireNonNull(loss, "loss");
    this.patience = patience;
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    return this;
  }

  /**
   * Resumes a run of which the first {@code epochs} already ran (their weights restored by the
   * caller): their shuffles are drawn again without training, so the next epoch sees the order an
   * uninterrupted run would have.
   */
  TrainingLoop<I> resumeAfter(int epochs) {
    if (epochs < 0 || epochs > this.epochs) {
      throw new IllegalArgumentException("epochs done " + epochs + " not in [0, " + this.epochs + "]");
    }
    this.done = epochs;
    return this;
  }

  /** Rows of similar cost into the same batch, say; called after every shuffle, replayed ones too. */
  TrainingLoop<I> arrange(Arrange arrange) {
    this.arrange = Objects.requireNonNull(arrange, "arrange");
    return this;
  }

  TrainingLoop<I> afterEpoch(EpochEnd end) {
    this.end = Objects.requireNonNull(end, "end");
    return this;
  }

  TrainingLoop<I> progress(TrainingListener listener, Progress line) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.progress = Objects.requireNonNull(line, "line");
    return this;
  }

  /**
   * Runs the epochs.
   *
   * @throws DivergenceGuard.Diverged on a non-finite loss, before any update from that batch
   * @throws IllegalStateException when the best epoch's weights cannot be kept or restored
   */
  Result run() {
    if (inputs == null || steps.isEmpty()) {
      throw new IllegalStateException("a training loop needs inputs and at least one step");
    }
    double best = Double.POSITIVE_INFINITY;
    byte[] bestWeights = null;
    int bad = 0;
    int run = 0;
    try {
      for (int epoch = 0; epoch < done; epoch++) {
        Windows.shuffle(order, random);
        arrange.apply(order, random);
      }
      for (int epoch = done; epoch < epochs; epoch++) {
        long t0 = System.nanoTime();
        Windows.shuffle(order, random);
        arrange.apply(order, random);
        double[] losses = epoch(epoch);
        run++;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double valid = Double.NaN;
        if (validation != null) {
          valid = validation.applyAsDouble(losses[0]);
          DivergenceGuard.check(valid, epoch + 1);
        }
        Epoch finished = new Epoch(epoch + 1, losses, valid, order.length / seconds);
        try { // the checkpoint first: a run stopped while reporting the epoch resumes after it
          end.after(finished);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("could not write the checkpoint of epoch " + finished.number() + ": " + e.getMessage(), e);
        }
        listener.progress(epoch + 1, epochs, progress.line(finished));
        if (validation != null) {
          if (valid < best - 1e-4) {
            best = valid;
            bestWeights = checkpoint.save();
            bad = 0;
          } else if (++bad >= patience) {
            break;
          }
        }
      }
      if (bestWeights != null) {
        checkpoint.restore(bestWeights);
      }
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("could not keep the best epoch's weights: " + e.getMessage(), e);
    }
    return new Result(run, validation == null ? Double.NaN : best);
  }

  /** One epoch over the rows in batches; the mean loss of each step. */
  private double[] epoch(int epoch) {
    double[] sums = new double[steps.size()];
    Trainer first = steps.get(0).trainer();
    for (int from = 0; from < order.length; from += batch) {
      int n = Math.min(batch, order.length - from);
      try (NDManager bm = first.getManager().newSubManager()) {
        I x = null;
        for (int s = 0; s < steps.size(); s++) {
          Step<I> step = steps.get(s);
          try (GradientCollector gc = step.trainer().newGradientCollector()) {
            // a batch's arrays are made inside the first collector, with PyTorch's grad mode on: made
            // outside it (DJL's default mode, AutoNonVariableTypeMode) and then trained on, they gave
            // NaN losses in some epochs of some runs and not others (the transformer, in the full suite)
            if (x == null) {
              x = inputs.of(bm, java.util.Arrays.copyOfRange(order, from, from + n));
            }
            NDArray loss = step.loss().loss(step.trainer(), bm, x);
            float value = loss.getFloat();
            DivergenceGuard.check(value, epoch + 1);
            gc.backward(loss);
            sums[s] += value * n;
          }
          step.trainer().step();
        }
      }
    }
    for (int s = 0; s < sums.length; s++) {
      sums[s] = order.length == 0 ? 0 : sums[s] / order.length;
    }
    return sums;
  }

  /**
   * The detectors' optimiser: Adam at {@code rate} (warmed up linearly from a tenth of it over
   * {@code warmup} steps when positive), with {@code weightDecay} and gradients clipped at {@code
   * clip} (none when 0).
   */
  static Optimizer adam(float rate, int warmup, float weightDecay, float clip) {
    Tracker tracker = warmup > 0
        ? Tracker.warmUp().setMainTracker(Tracker.fixed(rate)).optWarmUpSteps(warmup).optWarmUpBeginValue(rate / 10).build()
        : Tracker.fixed(rate);
    Adam.Builder b = Optimizer.adam().optLearningRateTracker(tracker).optWeightDecays(weightDecay);
    if (clip > 0) {
      b.optClipGrad(clip);
    }
    return b.build();
  }
}
