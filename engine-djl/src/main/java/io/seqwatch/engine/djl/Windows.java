package io.seqwatch.engine.djl;

/**
 * Next-event windows of a token sequence: for every event i (and, with boundaries, the end of the
 * sequence as token 0), the previous {@code window} tokens left-padded with 0, and the token to
 * predict.
 *
 * <p>Thread-safety: stateless.
 */
final class Windows {
  private Windows() {}

  /** Number of predictions for a sequence of {@code n} events. */
  static int count(int n, boolean boundaries) {
    return boundaries ? n + 1 : n;
  }

  /**
   * Writes the windows of {@code tokens} into {@code inputs} (row-major, {@code window} per row) and
   * the targets into {@code targets}, starting at row {@code row}; ids at or above {@code vocabulary}
   * become the unknown id 1.
   */
  static void fill(int[] tokens, boolean boundaries, int window, int vocabulary, long[] inputs, long[] targets, int row) {
    int m = count(tokens.length, boundaries);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < window; j++) {
        int p = i - window + j;
        inputs[(row + i) * window + j] = p < 0 ? 0 : clamp(tokens[p], vocabulary);
      }
      targets[row + i] = i < tokens.length ? clamp(tokens[i], vocabulary) : 0;
    }
  }

  private static int clamp(int token, int vocabulary) {
    return token >= 0 && token < vocabulary ? token : 1;
  }
}
