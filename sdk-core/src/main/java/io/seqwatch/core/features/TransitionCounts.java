package io.seqwatch.core.features;

/**
 * How often each action followed each other action in one sequence, keyed as {@code previous + "\0"
 * + action}: what {@link BehaviorAccumulator} counts for its transition entropy. A count is found by
 * the pair of actions without building the key: the last pair used is remembered (a view after a
 * view, event after event), the others are found by binary search over the
 * keys in sorted order (the entropy's fixed summation order), comparing the pair with each key as
 * if concatenated. A key is built only when it is new.
 *
 * <p>Thread-safety: not thread-safe; one per accumulator.
 */
final class TransitionCounts {
  private static final String[] NO_KEYS = new String[0];
  private static final int[][] NO_COUNTS = new int[0][];

  private String[] sortedKeys = NO_KEYS;
  private int[][] sortedCounts = NO_COUNTS;
  private int size;
  private long chars;
  // the pair used last
  private String lastPrevious;
  private String lastAction;
  private int[] lastCount;

  /** Number of distinct transitions held. */
  int size() {
    return size;
  }

  /** Characters of the keys held. */
  long chars() {
    return chars;
  }

  /**
   * Adds one {@code previous -> action} transition and returns its new count; when it is new and
   * {@code size() >= limit} it is not held and 0 comes back.
   */
  int increment(String previous, String action, int limit) {
    if (lastPrevious != null && (lastPrevious == previous || lastPrevious.equals(previous))
        && (lastAction == action || lastAction.equals(action))) {
      return ++lastCount[0];
    }
    int at = find(previous, action);
    int[] c;
    if (at >= 0) {
      c = sortedCounts[at];
    } else {
      if (size >= limit) {
        return 0;
      }
      c = insert(-at - 1, previous + "\u0000" + action, 0);
    }
    lastPrevious = previous;
    lastAction = action;
    lastCount = c;
    return ++c[0];
  }

  /** Puts a key read back from a snapshot. */
  void put(String key, int count) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = sortedKeys[mid].compareTo(key);
      if (cmp == 0) {
        sortedCounts[mid][0] = count;
        return;
      }
      if (cmp < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    insert(lo, key, count);
  }

  /** Where the key of {@code previous -> action} is, or {@code -(insertion point) - 1}. */
  private int find(String previous, String action) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = compare(sortedKeys[mid], previous, action);
      if (cmp == 0) {
        return mid;
      }
      if (cmp < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -(lo + 1);
  }

  /** {@code key.compareTo(previous + "\0" + action)} without building the second string. */
  static int compare(String key, String previous, String action) {
    int p = previous.length();
    int total = p + 1 + action.length();
    int n = Math.min(key.length(), total);
    for (int i = 0; i < n; i++) {
      char c = i < p ? previous.charAt(i) : i == p ? '\u0000' : action.charAt(i - p - 1);
      char k = key.charAt(i);
      if (k != c) {
        return k - c;
      }
    }
    return key.length() - total;
  }

  private int[] insert(int at, String key, int count) {
    int[] c = {count};
    if (size == sortedKeys.length) {
      int cap = Math.max(4, size * 2);
      sortedKeys = java.util.Arrays.copyOf(sortedKeys, cap);
      sortedCounts = java.util.Arrays.copyOf(sortedCounts, cap);
    }
    System.arraycopy(sortedKeys, at, sortedKeys, at + 1, size - at);
    System.arraycopy(sortedCounts, at, sortedCounts, at + 1, size - at);
    sortedKeys[at] = key;
    sortedCounts[at] = c;
    size++;
    chars += key.length();
    return c;
  }

  /** The key at {@code i} in key order. */
  String key(int i) {
    return sortedKeys[i];
  }

  /** The count at {@code i} in key order. */
  int count(int i) {
    return sortedCounts[i][0];
  }
}
