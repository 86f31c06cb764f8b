package io.seqwatch.spi.support;

/**
 * How a sequence model's per-event surprise (a negative log-likelihood in bits or nats) becomes one
 * sequence score, from the running maximum, sum, count of misses (events the model did not expect:
 * a transition never seen, a next action outside the top k) and number of events. The markov model
 * and the neural next-action and reconstruction models share these, whatever each calls them in its
 * options.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum SurpriseAggregate {
  /** The largest per-event surprise. */
  MAX,
  /** The mean per-event surprise (0 for no events). */
  MEAN,
  /** The number of misses. */
  MISSES,
  /** {@code misses + max / (1 + max)}: misses first, the worst expected event breaks ties. */
  COMBINED,
  /**
   * The mean surprise plus novelty: each miss adds {@code log2(vocabulary)}, the surprise of a
   * uniform guess, before dividing by the length; neither part grows with the sequence's length.
   */
  MEAN_NOVELTY,
  /** How many training standard deviations the mean surprise lies from the typical mean, either way. */
  STANDARDISED_MEAN,
  /** The typical-set test, {@link Typicality#z}: evidence accumulates with length. */
  TYPICAL_SET;

  /**
   * The sequence score.
   *
   * @param max the largest per-event surprise (0 for no events)
   * @param sum the sum of per-event surprise
   * @param misses events the model did not expect
   * @param n events
   * @param typical the training events' mean and spread ({@link #STANDARDISED_MEAN}, {@link #TYPICAL_SET})
   * @param vocabulary token ids the model knows ({@link #MEAN_NOVELTY})
   */
  public double apply(double max, double sum, int misses, int n, Typicality typical, int vocabulary) {
    return switch (this) {
      case MAX -> max;
      case MEAN -> n == 0 ? 0 : sum / n;
      case MISSES -> misses;
      case COMBINED -> misses + max / (1 + max);
      case MEAN_NOVELTY -> n == 0 ? 0 : (sum + misses * Math.log(vocabulary) / Math.log(2)) / n;
      case STANDARDISED_MEAN -> n == 0 ? 0 : Math.abs(sum / n - typical.mean()) / Math.max(typical.std(), 1e-9);
      case TYPICAL_SET -> typical.z(sum, n);
    };
  }
}
