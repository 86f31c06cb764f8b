package io.seqwatch.spi.support;

import io.seqwatch.api.Contribution;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The two-sided typical-set test over per-event negative log-likelihoods (or surprisal in any unit),
 * shared by the markov, next-action and sequence-reconstruction models ({@link SurpriseAggregate#TYPICAL_SET}): how far a sequence's mean NLL lies from the training
 * events' mean, times the square root of its length over the training events' standard deviation.
 * Long sequences too predictable for a person (a bot repeating one pattern) score high as well as
 * surprising ones.
 *
 * @param mean mean per-event NLL over the training events
 * @param std standard deviation of the per-event NLL over the training events
 *     <p>Thread-safety: immutable.
 */
public record Typicality(double mean, double std) {
  /** Not measured yet: training measures it once the model is fitted. */
  public static final Typicality UNMEASURED = new Typicality(0, 0);

  /** The z-score of a sequence of {@code n} events whose NLLs sum to {@code sum}. */
  public double z(double sum, int n) {
    double m = n == 0 ? 0 : sum / n;
    return Math.abs(m - mean) * Math.sqrt(n) / Math.max(std, 1e-9);
  }

  /**
   * The finding a typicality score stands for, to lead an explanation: the sequence's mean surprise
   * against the training events', which way it leans, and the token it repeats most.
   *
   * @param nll per-event NLL, at least one
   * @param tokens the token of each event
   * @param text a token's text
   */
  public Contribution reason(double[] nll, int[] tokens, IntFunction<String> text) {
    int n = nll.length;
    double sum = 0;
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      sum += nll[i];
      counts.merge(tokens[i], 1, Integer::sum);
    }
    double m = sum / n;
    double z = z(sum, n);
    Map.Entry<Integer, Integer> top = counts.entrySet().stream()
        .max(Map.Entry.<Integer, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
        .orElseThrow();
    String reason = String.format(Locale.ROOT,
        "%d events at a mean surprise of %s nats vs %s (sd %s per event) for typical sequences: %s (z = %s); "
            + "most frequent '%s' (%d%%)",
        n, FeatureStatistics.format(m), FeatureStatistics.format(mean), FeatureStatistics.format(std),
        m < mean ? "more predictable than people" : "more surprising than people",
        FeatureStatistics.format(z), text.apply(top.getKey()), Math.round(100.0 * top.getValue() / n));
    return new Contribution("typicality", m, mean, z, reason);
  }

  /** Accumulates per-event NLLs into a {@link Typicality}. Not thread-safe. */
  public static final class Meter {
    private double sum;
    private double sq;
    private long n;

    /** Adds the per-event NLLs of one sequence. */
    public void add(double[] nll) {
      for (double x : nll) {
        sum += x;
        sq += x * x;
        n++;
      }
    }

    /** The mean and standard deviation of everything added. */
    public Typicality typicality() {
      double m = n == 0 ? 0 : sum / n;
      return new Typicality(m, n < 2 ? 0 : Math.sqrt(Math.max(0, sq / n - m * m)));
    }
  }
}
