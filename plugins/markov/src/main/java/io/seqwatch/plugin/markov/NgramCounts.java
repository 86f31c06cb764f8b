package io.seqwatch.plugin.markov;

import io.seqwatch.api.ModelFormatException;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts of (context, next token) for every context length 0..order. A context is the previous
 * {@code length} tokens, padded at the start with the padding id 0; keys pack a length and tokens
 * into one long.
 *
 * <p>Thread-safety: mutable while counting ({@link #add}); read-only afterwards and then safe for
 * concurrent reads.
 */
final class NgramCounts {
  private final int order;
  private final int vocabulary;
  private final Map<Long, Integer> joint = new HashMap<>();
  private final Map<Long, Integer> totals = new HashMap<>();
  /** number of distinct tokens seen after each context (Witten-Bell's type count) */
  private final Map<Long, Integer> types = new HashMap<>();

  NgramCounts(int order, int vocabulary) {
    if (Math.pow(vocabulary, order + 1) >= (double) (1L << 56)) {
      throw new io.seqwatch.api.ConfigurationException("order " + order + " is too high for a vocabulary of "
          + vocabulary + " tokens (vocabulary^(order+1) must stay below 2^56)");
    }
    this.order = order;
    this.vocabulary = vocabulary;
  }

  int order() {
    return order;
  }

  int vocabulary() {
    return vocabulary;
  }

  /** Key of the context of length {@code length} ending just before position {@code i}. */
  long context(int[] tokens, int i, int length) {
    long k = 0;
    for (int j = i - length; j < i; j++) {
      k = k * vocabulary + (j < 0 ? 0 : tokens[j]);
    }
    return ((long) length << 56) | k;
  }

  long jointKey(long context, int next) {
    long len = context >>> 56;
    long code = context & ((1L << 56) - 1);
    return (len << 56) | (code * vocabulary + next);
  }

  void add(long context, int next, int count) {
    if (joint.merge(jointKey(context, next), count, Integer::sum) == count) {
      types.merge(context, 1, Integer::sum);
    }
    totals.merge(context, count, Integer::sum);
  }

  /**
   * Counts every event of a sequence; with {@code boundaries}, also the end of the sequence as a
   * transition to the padding id 0 (the start is always the all-padding context).
   */
  void addSequence(int[] tokens, boolean boundaries) {
    int[] t = boundaries ? withEnd(tokens) : tokens;
    for (int i = 0; i < t.length; i++) {
      for (int len = 0; len <= order; len++) {
        add(context(t, i, len), t[i], 1);
      }
    }
  }

  /** The tokens followed by the end marker 0. */
  static int[] withEnd(int[] tokens) {
    return java.util.Arrays.copyOf(tokens, tokens.length + 1);
  }

  int count(long context, int next) {
    return joint.getOrDefault(jointKey(context, next), 0);
  }

  int total(long context) {
    return totals.getOrDefault(context, 0);
  }

  /** Number of distinct tokens seen after {@code context}. */
  int types(long context) {
    return types.getOrDefault(context, 0);
  }

  /** Flattens to rows of {@code [length, t_1..t_order, next, count]} for saving. */
  int[] toRows() {
    int w = order + 3;
    int[] rows = new int[joint.size() * w];
    int r = 0;
    for (Map.Entry<Long, Integer> e : joint.entrySet()) {
      long key = e.getKey();
      int len = (int) (key >>> 56);
      long code = key & ((1L << 56) - 1);
      int next = (int) (code % vocabulary);
      code /= vocabulary;
      rows[r * w] = len;
      for (int j = order; j >= 1; j--) {
        rows[r * w + j] = j > order - len ? (int) (code % vocabulary) : 0;
        if (j > order - len) {
          code /= vocabulary;
        }
      }
      rows[r * w + order + 1] = next;
      rows[r * w + order + 2] = e.getValue();
      r++;
    }
    return rows;
  }

  static NgramCounts fromRows(int order, int vocabulary, int[] rows) {
    int w = order + 3;
    if (order < 0 || vocabulary < 2 || rows.length % w != 0) {
      throw new ModelFormatException("markov model: count table of " + rows.length + " ints does not fit order " + order);
    }
    NgramCounts c = new NgramCounts(order, vocabulary);
    for (int r = 0; r < rows.length / w; r++) {
      int len = rows[r * w];
      int next = rows[r * w + order + 1];
      int count = rows[r * w + order + 2];
      if (len < 0 || len > order || next < 0 || next >= vocabulary || count <= 0) {
        throw new ModelFormatException("markov model: count row " + r + " is malformed");
      }
      long k = 0;
      for (int j = order - len + 1; j <= order; j++) {
        int t = rows[r * w + j];
        if (t < 0 || t >= vocabulary) {
          throw new ModelFormatException("markov model: token " + t + " in row " + r + " is outside the vocabulary");
        }
        k = k * vocabulary + t;
      }
      c.add(((long) len << 56) | k, next, count);
    }
    return c;
  }
}
