package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Xavier initialisation drawn from a generator of the model's own, not from the engine's
 * process-global one. DJL's initialisers call {@code NDManager.randomUniform/randomNormal}, which
 * draw from PyTorch's single process-wide generator: seeding it per fit ({@code
 * Engine.setRandomSeed}) gives equal models only if nothing else in the JVM draws from it between
 * the seed and the last weight. {@link #seed} replaces the initialiser of every weight of a block by
 * one whose values come from a {@link SplittableRandom} seeded from the fit's seed and the
 * parameter's path in the block, so a weight's initial values depend on nothing else: not on
 * other models, other threads, or the order parameters are initialised in.
 *
 * <p>The distributions are DJL's: a weight left with its type's default initialiser gets DJL's
 * default for weights (Gaussian, scale by fan-in, magnitude 2); one given {@code new
 * XavierInitializer()} by this module's networks gets that one's defaults (uniform, scale by the
 * average fan, magnitude 6). Any other initialiser on a weight is refused, so a network that adds one
 * is noticed in its first test rather than silently seeded from the global generator.
 *
 * <p>Thread-safety: each instance belongs to one parameter of one fit and is called once by DJL;
 * not thread-safe.
 */
final class SeededInitializer implements Initializer {
  private final long seed;
  private final boolean gaussian;
  private final boolean averageFan;
  private final double magnitude;

  private SeededInitializer(long seed, boolean gaussian, boolean averageFan, double magnitude) {
    this.seed = seed;
    this.gaussian = gaussian;
    this.averageFan = averageFan;
    this.magnitude = magnitude;
  }

  /**
   * Initialises a trainer's block with every weight seeded from {@code seed}, in place of {@code
   * trainer.initialize(shapes)}; fails if a block replaced a seeded initialiser while initialising.
   */
  static void initialize(Trainer trainer, long seed, Shape... shapes) {
    Block block = trainer.getModel().getBlock();
    seed(block, seed);
    trainer.initialize(shapes);
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getType() == Parameter.Type.WEIGHT
          && !(p.getValue().getInitializer() instanceof SeededInitializer)) {
        throw new IllegalStateException("weight " + p.getKey() + " was initialised by "
            + p.getValue().getInitializer() + ": set initialisers in the network's constructor, not while it initialises");
      }
    }
  }

  /** Seeds every weight of {@code block} not yet initialised (after the trainer applied its config). */
  private static void seed(Block block, long seed) {
    Initializer typeDefault = Parameter.Type.WEIGHT.getInitializer();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (parameter.getType() != Parameter.Type.WEIGHT || parameter.isInitialized()) {
        continue; // biases, gammas, betas and running statistics start at constants
      }
      Initializer current = parameter.getInitializer();
      long own = seed ^ mix(p.getKey());
      if (current == typeDefault) {
        parameter.setInitializer(new SeededInitializer(own, true, false, 2));
      } else if (current != null && current.getClass() == XavierInitializer.class) {
        parameter.setInitializer(new SeededInitializer(own, false, true, 6));
      } else if (!(current instanceof SeededInitializer)) {
        throw new IllegalStateException("weight " + p.getKey() + " has initialiser " + current
            + "; SeededInitializer knows DJL's weight default and XavierInitializer()");
      }
    }
  }

  /** A 64-bit hash of a parameter's path (FNV-1a, then a SplitMix finaliser). */
  private static long mix(String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    if (shape.dimension() < 2) {
      throw new IllegalArgumentException("Xavier initialisation needs at least two dimensions: " + shape);
    }
    double receptive = shape.slice(2).size();
    double fanIn = shape.get(1) * receptive;
    double fanOut = shape.head() * receptive;
    double scale = Math.sqrt(magnitude / (averageFan ? (fanIn + fanOut) / 2 : fanIn));
    long n = shape.size();
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("weight of " + n + " values is too large: " + shape);
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian ? random.nextGaussian() * scale : random.nextDouble(-scale, scale));
    }
    NDArray out = DjlRuntime.owned(manager.create(values, shape));
    return dataType == DataType.FLOAT32 ? out : out.toType(dataType, false);
  }
}
