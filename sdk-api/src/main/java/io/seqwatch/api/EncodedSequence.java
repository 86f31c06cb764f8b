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
 * @param attributes the events' attributes as hashed ids and normalised values, for multimodal
 *     models ({@link EncodedAttributes#NONE} when the encoder keeps none)
 *     <p>Thread-safety: immutable; accessors return copies.
 */
public record EncodedSequence(String key, int[] tokens, int[] gapBuckets, int[] categoryIds, double[] prices,
    EncodedAttributes attributes) {
  public EncodedSequence {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(attributes, "attributes");
    tokens = tokens.clone();
    gapBuckets = gapBuckets.clone();
    categoryIds = categoryIds.clone();
    prices = prices.clone();
    int n = tokens.length;
    if (gapBuckets.length != n || categoryIds.length != n || prices.length != n || !attributes.covers(n)) {
      throw new IllegalArgumentException(
          "side arrays of '" + key + "' must have " + n + " entries like tokens");
    }
  }

  /** A sequence without attributes. */
  public EncodedSequence(String key, int[] tokens, int[] gapBuckets, int[] categoryIds, double[] prices) {
    this(key, tokens, gapBuckets, categoryIds, prices, EncodedAttributes.NONE);
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

  /** The sequence's events {@code [from, to)}, under the same key. */
  public EncodedSequence range(int from, int to) {
    return new EncodedSequence(key, Arrays.copyOfRange(tokens, from, to), Arrays.copyOfRange(gapBuckets, from, to),
        Arrays.copyOfRange(categoryIds, from, to), Arrays.copyOfRange(prices, from, to), attributes.range(from, to));
  }

  /** Gap bucket of event {@code i}, without copying. */
  public int gapBucket(int i) {
    return gapBuckets[i];
  }

  /** Category bucket of event {@code i}, without copying. */
  public int categoryId(int i) {
    return categoryIds[i];
  }

  /** Price of event {@code i}, without copying ({@code NaN} when absent). */
  public double price(int i) {
    return prices[i];
  }

  /** This sequence followed by {@code next}'s events, under this sequence's key. */
  public EncodedSequence append(EncodedSequence next) {
    int n = tokens.length;
    int m = next.tokens.length;
    int[] t = Arrays.copyOf(tokens, n + m);
    int[] g = Arrays.copyOf(gapBuckets, n + m);
    int[] c = Arrays.copyOf(categoryIds, n + m);
    double[] p = Arrays.copyOf(prices, n + m);
    System.arraycopy(next.tokens, 0, t, n, m);
    System.arraycopy(next.gapBuckets, 0, g, n, m);
    System.arraycopy(next.categoryIds, 0, c, n, m);
    System.arraycopy(next.prices, 0, p, n, m);
    EncodedAttributes a = n == 0 ? next.attributes : m == 0 ? attributes : attributes.append(next.attributes);
    return new EncodedSequence(key, t, g, c, p, a);
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
        && Arrays.equals(prices, e.prices)
        && attributes.equals(e.attributes);
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
