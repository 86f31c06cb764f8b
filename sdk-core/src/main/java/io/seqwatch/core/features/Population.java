package io.seqwatch.core.features;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.features.Signals.Kind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many actors of the training data share each device, IP address, subnet and user agent: the
 * shared-infrastructure counts that give away device farms, proxy pools and rare clients, which no
 * single sequence shows. Fitted once with the features and frozen, like a vocabulary, so a sequence
 * gets the same features in batch and in streaming, and saved with the bundle.
 *
 * <p>Compact and private: a value is kept as a 64-bit hash (murmur3), never as text, and only values
 * that two or more actors share are kept (at most {@value #MAX_VALUES} per signal, the most shared
 * first); any other value counts as one actor. Memory while fitting: 16 bytes per distinct (value,
 * actor) pair of a sequence.
 *
 * <p>Thread-safety: immutable.
 */
final class Population {
  /** Most shared values kept per signal. */
  static final int MAX_VALUES = 500_000;
  private static final HashFunction HASH = Hashing.murmur3_128(0x51c7a1e5);
  /** The tables, in this order: device, ip, subnet, user agent. */
  static final int DEVICE = 0;
  static final int IP = 1;
  static final int SUBNET = 2;
  static final int USER_AGENT = 3;
  private static final int TABLES = 4;

  private final long actors;
  private final long[][] hashes;
  private final int[][] counts;

  private Population(long actors, long[][] hashes, int[][] counts) {
    this.actors = actors;
    this.hashes = hashes;
    this.counts = counts;
  }

  /** No training data: every value counts as one actor. */
  static final Population EMPTY = new Population(1, new long[TABLES][0], new int[TABLES][0]);

  static long hash(String value) {
    return HASH.hashString(value, StandardCharsets.UTF_8).asLong();
  }

  private static final int[] DEVICE_TABLES = {DEVICE};
  private static final int[] IP_TABLES = {IP, SUBNET};
  private static final int[] USER_AGENT_TABLES = {USER_AGENT};
  private static final int[] NO_TABLES = {};

  /** The tables a signal's value goes to (none for signals without shared-infrastructure counts). */
  private static int[] tables(Kind k) {
    return switch (k) {
      case DEVICE -> DEVICE_TABLES;
      case IP -> IP_TABLES;
      case USER_AGENT -> USER_AGENT_TABLES;
      default -> NO_TABLES;
    };
  }

  /** Counts the distinct actors per value of the signals in use over {@code training}. */
  static Population fit(List<BehaviorSequence> training, Signals signals) {
    Set<String> actorIds = new HashSet<>();
    long[][] pairs = new long[TABLES][];
    int[] size = new int[TABLES];
    for (int t = 0; t < TABLES; t++) {
      pairs[t] = new long[64];
    }
    Set<Long> seen = new HashSet<>();
    for (BehaviorSequence s : training) {
      long actor = hash(s.actorId());
      actorIds.add(s.actorId());
      seen.clear();
      for (BehaviorEvent e : s.events()) {
        Attributes a = e.attributes();
        if (a.isEmpty()) {
          continue;
        }
        for (Kind k : signals.kinds()) {
          java.util.Optional<String> v = a.string(k.attribute());
          if (v.isEmpty()) {
            continue;
          }
          for (int t : tables(k)) {
            String value = t == SUBNET ? SignalAccumulator.subnet(SignalAccumulator.cut(v.get()))
                : SignalAccumulator.cut(v.get());
            long h = hash(value);
            if (seen.add(h * 31 + t)) { // once per sequence
              if (size[t] + 2 > pairs[t].length) {
                pairs[t] = Arrays.copyOf(pairs[t], pairs[t].length * 2);
              }
              pairs[t][size[t]++] = h;
              pairs[t][size[t]++] = actor;
            }
          }
        }
      }
    }
    long[][] hashes = new long[TABLES][];
    int[][] counts = new int[TABLES][];
    for (int t = 0; t < TABLES; t++) {
      long[][] table = shared(pairs[t], size[t]);
      hashes[t] = table[0];
      counts[t] = Arrays.stream(table[1]).mapToInt(c -> (int) c).toArray();
      pairs[t] = null;
    }
    return new Population(Math.max(1, actorIds.size()), hashes, counts);
  }

  /** From (value, actor) pairs: the values two or more actors share, sorted by hash, with their counts. */
  private static long[][] shared(long[] flat, int size) {
    int n = size / 2;
    sortPairs(flat, n);
    long[] values = new long[n];
    long[] actorCounts = new long[n];
    int m = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      int distinct = 0;
      while (j < n && flat[2 * j] == flat[2 * i]) {
        if (j == i || flat[2 * j + 1] != flat[2 * j - 1]) {
          distinct++;
        }
        j++;
      }
      if (distinct >= 2) {
        values[m] = flat[2 * i];
        actorCounts[m++] = distinct;
      }
      i = j;
    }
    values = Arrays.copyOf(values, m);
    actorCounts = Arrays.copyOf(actorCounts, m);
    if (m > MAX_VALUES) { // keep the most shared values
      Integer[] order = new Integer[m];
      for (int i = 0; i < m; i++) {
        order[i] = i;
      }
      final long[] c = actorCounts;
      final long[] v = values;
      Arrays.sort(order, (a, b) -> c[a] != c[b] ? Long.compare(c[b], c[a]) : Long.compare(v[a], v[b]));
      long[][] kept = new long[MAX_VALUES][];
      for (int i = 0; i < MAX_VALUES; i++) {
        kept[i] = new long[] {v[order[i]], c[order[i]]};
      }
      Arrays.sort(kept, (a, b) -> Long.compare(a[0], b[0]));
      values = new long[MAX_VALUES];
      actorCounts = new long[MAX_VALUES];
      for (int i = 0; i < MAX_VALUES; i++) {
        values[i] = kept[i][0];
        actorCounts[i] = kept[i][1];
      }
    }
    return new long[][] {values, actorCounts};
  }

  /** Heap sort of {@code n} (value, actor) pairs held flat, by value then actor: in place, no boxing. */
  private static void sortPairs(long[] a, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(a, i, n);
    }
    for (int end = n - 1; end > 0; end--) {
      swap(a, 0, end);
      siftDown(a, 0, end);
    }
  }

  private static void siftDown(long[] a, int i, int n) {
    while (true) {
      int c = 2 * i + 1;
      if (c >= n) {
        return;
      }
      if (c + 1 < n && less(a, c, c + 1)) {
        c++;
      }
      if (!less(a, i, c)) {
        return;
      }
      swap(a, i, c);
      i = c;
    }
  }

  private static boolean less(long[] a, int i, int j) {
    return a[2 * i] != a[2 * j] ? a[2 * i] < a[2 * j] : a[2 * i + 1] < a[2 * j + 1];
  }

  private static void swap(long[] a, int i, int j) {
    long v = a[2 * i];
    long w = a[2 * i + 1];
    a[2 * i] = a[2 * j];
    a[2 * i + 1] = a[2 * j + 1];
    a[2 * j] = v;
    a[2 * j + 1] = w;
  }

  /** Actors that shared {@code value} in table {@code t} during training (1 for any other value). */
  int actors(int t, String value) {
    int i = Arrays.binarySearch(hashes[t], hash(value));
    return i < 0 ? 1 : counts[t][i];
  }

  /** Actors in the training data. */
  long actors() {
    return actors;
  }

  /** Values kept in table {@code t}. */
  int size(int t) {
    return hashes[t].length;
  }

  void write(DataOutput out) throws IOException {
    out.writeInt(1); // layout
    out.writeLong(actors);
    out.writeInt(TABLES);
    for (int t = 0; t < TABLES; t++) {
      out.writeInt(hashes[t].length);
      for (int i = 0; i < hashes[t].length; i++) {
        out.writeLong(hashes[t][i]);
        out.writeInt(counts[t][i]);
      }
    }
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws ModelFormatException when it is inconsistent
   */
  static Population read(DataInput in) throws IOException {
    int layout = in.readInt();
    long actors = in.readLong();
    int tables = in.readInt();
    if (layout != 1 || actors < 1 || tables != TABLES) {
      throw new ModelFormatException("population table: layout " + layout + ", " + actors + " actors, " + tables
          + " tables; expected layout 1 with " + TABLES + " tables");
    }
    long[][] hashes = new long[TABLES][];
    int[][] counts = new int[TABLES][];
    for (int t = 0; t < TABLES; t++) {
      int n = in.readInt();
      if (n < 0 || n > MAX_VALUES) {
        throw new ModelFormatException("population table " + t + " declares " + n + " values (at most " + MAX_VALUES + ")");
      }
      hashes[t] = new long[n];
      counts[t] = new int[n];
      for (int i = 0; i < n; i++) {
        hashes[t][i] = in.readLong();
        counts[t][i] = in.readInt();
        if (counts[t][i] < 2 || counts[t][i] > actors || i > 0 && hashes[t][i] <= hashes[t][i - 1]) {
          throw new ModelFormatException("population table " + t + " is not sorted or has a count out of range at "
              + i);
        }
      }
    }
    return new Population(actors, hashes, counts);
  }
}
