package io.seqwatch.spi;

import java.util.Objects;
import java.util.function.Function;

/**
 * An untrained detector: an immutable configuration that {@link #fit}s a {@link Model}.
 *
 * <p>Thread-safety: immutable; {@link #fit} may be called concurrently with different data.
 */
public interface Detector {
  /** The provider name, for example {@code isolation-forest}. */
  String name();

  /** Representation this detector needs. */
  Representation input();

  /** Whether {@link #fit} requires labels. */
  default boolean supervised() {
    return false;
  }

  /**
   * Trains on (mostly) normal data.
   *
   * @throws io.seqwatch.api.ConfigurationException when the data cannot train this detector (for
   *     example fewer observations than it needs, or no labels for a supervised one)
   */
  Model fit(TrainingSet training);

  /**
   * A detector made of a name, its input and a fit function, for providers whose detector is just
   * its validated options:
   *
   * <pre>{@code
   * public Detector create(Options o) {
   *   int trees = o.getInt("trees", 1, 100_000);
   *   return Detector.of(name(), Representation.FEATURES, training -> grow(trees, training));
   * }
   * }</pre>
   */
  static Detector of(String name, Representation input, Function<TrainingSet, Model> fit) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(fit, "fit");
    return new Detector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Representation input() {
        return input;
      }

      @Override
      public Model fit(TrainingSet training) {
        return fit.apply(training);
      }
    };
  }
}
