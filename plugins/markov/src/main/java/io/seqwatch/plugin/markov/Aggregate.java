package io.seqwatch.plugin.markov;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.support.SurpriseAggregate;
import io.seqwatch.spi.support.Typicality;

/**
 * How per-event surprisal becomes a sequence score.
 *
 * <p>Thread-safety: enum, immutable.
 */
enum Aggregate {
  /** Largest surprisal in bits. */
  MAX(SurpriseAggregate.MAX),
  /** Mean surprisal in bits. */
  MEAN(SurpriseAggregate.MEAN),
  /** Number of transitions never seen in training. */
  UNSEEN(SurpriseAggregate.MISSES),
  /** unseen + max / (1 + max): unseen transitions first, the worst seen one breaks ties. */
  COMBINED(SurpriseAggregate.COMBINED),
  /**
   * How far the mean surprisal lies from the training sequences' mean surprisal, in training
   * standard deviations, in either direction: catches sequences that are too predictable (scripted
   * bots) as well as too surprising.
   */
  TYPICALITY(SurpriseAggregate.STANDARDISED_MEAN),
  /**
   * Mean surprisal plus novelty: the mean surprisal in bits per event, plus the share of events
   * whose full-order n-gram was never seen in training times log2 of the vocabulary size. Neither
   * part grows with the sequence's length, so one rare event in a long sequence does not decide;
   * a sequence made of never-seen n-grams ranks high even where the smoothed model finds each of
   * them only mildly unlikely.
   */
  MEAN_NOVELTY(SurpriseAggregate.MEAN_NOVELTY),
  /**
   * The typical-set test: how many standard errors the sequence's mean surprisal lies from the
   * per-event mean surprisal of held-out training events, in either direction ({@code |mean - mu|
   * sqrt(n) / sigma}, with mu and sigma measured by two-fold cross-fitting on the training data).
   * Evidence accumulates with length as it should (a short sequence is judged leniently), a
   * scripted sequence that is far too predictable scores as high as one that is far too
   * surprising, and one rare event in a long sequence barely moves it.
   */
  TYPICAL_SET(SurpriseAggregate.TYPICAL_SET);

  private final SurpriseAggregate rule;

  Aggregate(SurpriseAggregate rule) {
    this.rule = rule;
  }

  static Aggregate parse(String s) {
    return switch (s) {
      case "max" -> MAX;
      case "mean" -> MEAN;
      case "unseen" -> UNSEEN;
      case "combined" -> COMBINED;
      case "typicality" -> TYPICALITY;
      case "mean+novelty" -> MEAN_NOVELTY;
      case "typical-set" -> TYPICAL_SET;
      default -> throw new ConfigurationException(
          "aggregate '" + s + "' is not one of typical-set, mean+novelty, combined, max, mean, unseen, typicality");
    };
  }

  /**
   * The sequence score ({@link SurpriseAggregate#apply}; the option names and the names saved in
   * bundles are markov's own).
   *
   * @param typical mean and standard deviation over training sequences of their mean surprisal
   * @param vocabulary number of token ids the model knows
   */
  double apply(double max, double sum, int unseen, int n, Typicality typical, int vocabulary) {
    return rule.apply(max, sum, unseen, n, typical, vocabulary);
  }
}
