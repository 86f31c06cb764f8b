package io.seqwatch.spi;

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
}
