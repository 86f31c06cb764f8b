package io.seqwatch.plugin.markov;

import io.seqwatch.api.ConfigurationException;

/**
 * How per-event surprisal becomes a sequence score.
 *
 * <p>Thread-safety: enum, immutable.
 */
enum Aggregate {
  /** Largest surprisal in bits. */
  MAX,
  /** Mean surprisal in bits. */
  MEAN,
  /** Number of transitions never seen in training. */
  UNSEEN,
  /** unseen + max / (1 + max): unseen transitions first, the worst seen one breaks ties. */
  COMBINED,
  /**
   * How far the mean surprisal lies from the training sequences' mean surprisal, in training
   * standard deviations, in either direction: catches sequences that are too predictable (scripted
   * bots) as well as too surprising.
   */
  TYPICALITY;

  static Aggregate parse(String s) {
    return switch (s) {
      case "max" -> MAX;
      case "mean" -> MEAN;
      case "unseen" -> UNSEEN;
      case "combined" -> COMBINED;
      case "typicality" -> TYPICALITY;
      default -> throw new ConfigurationException(
          "aggregate '" + s + "' is not one of combined, max, mean, unseen, typicality");
    };
  }

  /**
   * The sequence score.
   *
   * @param typicalMean mean over training sequences of their mean surprisal
   * @param typicalStd standard deviation of the same
   */
  double apply(double max, double sum, int unseen, int n, double typicalMean, double typicalStd) {
    return switch (this) {
      case TYPICALITY -> n == 0 ? 0 : Math.abs(sum / n - typicalMean) / Math.max(typicalStd, 1e-9);
      case MAX -> max;
      case MEAN -> n == 0 ? 0 : sum / n;
      case UNSEEN -> unseen;
      case COMBINED -> unseen + max / (1 + max);
    };
  }
}
