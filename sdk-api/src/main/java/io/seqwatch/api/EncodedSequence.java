package io.seqwatch.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sequence as integer ids, ready for sequence detectors (n-gram, recurrent, attention models).
 * All arrays have one entry per event.
 *
 * @param key the sequence key
 * @param tokens action token ids from the fitted vocabulary (unknown actions get the encoder's
 *     unknown id)
 * @param gapBuckets bucket of the time gap before each event (0 for the first event)
 * @param categoryIds hashed category ids (0 when absent), side information for multimodal models
 * @param prices price of each event's item, {@code NaN} when absent
 *     <p>Thread-safety: immutable; accessors return copies.
 */
public record EncodedSequence(
    String key, int[] tokens, int[] gapBuckets, int[] categoryIds, double[] prices) {
  public EncodedSequence {
    Objects.requireNonNull(key, "key");
    tokens = tokens.clone();
    gapBuckets = gapBuckets.clone();
    categoryIds = categoryIds.clone();
    prices = prices.clone();
    int n = tokens.length;
    if (gapBuckets.length != n || categoryIds.length != n || prices.length != n) {
      throw new IllegalArgumentException(
          "side arrays of '" + key + "' must have " + n + " entries like tokens");
    }
  }

  /** Sequence of tokens only, with no side information. */
  public static EncodedSequence ofTokens(String key, int[] tokens) {
    double[] prices = new double[tokens.length];
    Arrays.fill(prices, Double.NaN);
    return new EncodedSequence(
        key, tokens, new int[tokens.length], new int[tokens.length], prices);
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public int[] gapBuckets() {
    return gapBuckets.clone();
  }

  @Override
  public int[] categoryIds() {
    return categoryIds.clone();
  }

  @Override
  public double[] prices() {
    return prices.clone();
  }

  /** Token at position {@code i}, without copying. */
  public int token(int i) {
    return tokens[i];
  }

  /** Number of events. */
  public int length() {
    return tokens.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedSequence e
        && key.equals(e.key)
        && Arrays.equals(tokens, e.tokens)
        && Arrays.equals(gapBuckets, e.gapBuckets)
        && Arrays.equals(categoryIds, e.categoryIds)
        && Arrays.equals(prices, e.prices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(tokens), Arrays.hashCode(gapBuckets));
  }

  @Override
  public String toString() {
    return "EncodedSequence[" + key + ", " + Arrays.toString(tokens) + "]";
  }
}
