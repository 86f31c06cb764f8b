package io.seqwatch.core.features;

import java.util.Arrays;

/**
 * How often each action followed each other action in one sequence, keyed as {@code previous + "\0"
 * + action}: what {@link BehaviorAccumulator} counts for its transition entropy. A count is found by
 * the pair of actions without building the key: the last pair used is remembered (a view after a
 * view, event after event), the others are found by binary search over the keys in sorted order
 * (the entropy's fixed summation order), comparing the pair with each key as if concatenated. A key
 * is built only when it is new.
 *
 * <p>Thread-safety: not thread-safe; one per accumulator.
 */
final class TransitionCounts {
  private static final String[] NO_KEYS = new String[0];
  private static final int[] NO_COUNTS = new int[0];

  private String[] keys = NO_KEYS; // sorted; counts[i] belongs to keys[i]
  private int[] counts = NO_COUNTS;
  private int size;
  private long chars;
  // the pair used last and where its key is
  private String lastPrevious;
  private String lastAction;
  private int lastIndex;

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
      return ++counts[lastIndex];
    }
    int at = find(previous, action);
    if (at < 0) {
      if (size >= limit) {
        return 0;
      }
      at = -at - 1;
      insert(at, previous + "\u0000" + action, 0);
    }
    lastPrevious = previous;
    lastAction = action;
    lastIndex = at;
    return ++counts[at];
  }

  /** Puts a key read back from a snapshot. */
  void put(String key, int count) {
    int at = Arrays.binarySearch(keys, 0, size, key);
    if (at < 0) {
      insert(-at - 1, key, count);
    } else {
      counts[at] = count;
    }
  }

  /** Where the key of {@code previous -> action} is, or {@code -(insertion point) - 1}. */
  private int find(String previous, String action) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = compare(keys[mid], previous, action);
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

  /** Inserts a new key at {@code at}; the remembered pair's index moves with the keys after it. */
  private void insert(int at, String key, int count) {
    if (size == keys.length) {
      int cap = Math.max(4, size * 2);
      keys = Arrays.copyOf(keys, cap);
      counts = Arrays.copyOf(counts, cap);
    }
    System.arraycopy(keys, at, keys, at + 1, size - at);
    System.arraycopy(counts, at, counts, at + 1, size - at);
    keys[at] = key;
    counts[at] = count;
    size++;
    chars += key.length();
    if (lastPrevious != null && lastIndex >= at) {
      lastIndex++;
    }
  }

  /** The key at {@code i} in key order. */
  String key(int i) {
    return keys[i];
  }

  /** The count at {@code i} in key order. */
  int count(int i) {
    return counts[i];
  }
}
