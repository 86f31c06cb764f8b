package io.seqwatch.core.prep;

import io.seqwatch.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Distinct strings packed into one UTF-8 byte array, each with a dense id: an id costs its bytes plus
 * about 12 (end offset and hash slot), where a {@code String} in a {@code HashMap} costs 80 or more.
 * The column store's dictionaries for actor, session, item, category, action and attribute values.
 *
 * <p>While every string added is a plain decimal number (1-18 digits, no leading zero: the user,
 * item and category ids of Taobao, REES46 and most shop logs) the dictionary holds the numbers
 * instead: a {@code long} per id and no bytes, and a lookup parses the digits and compares one
 * number, where text compares bytes read from two more arrays (the reader's dictionary lookups were
 * most of its time). The first other string turns it into text once; ids never change.
 *
 * <p>Thread-safety: not thread-safe while ids are added; {@link #text} may run concurrently after the
 * last {@link #id}.
 */
final class TextDictionary {
  private byte[] bytes = new byte[256];
  private int used;
  private int[] ends = new int[16]; // ends[id]: where entry id ends; it starts at ends[id - 1] (or 0)
  // tags[id]: the high 16 bits of entry id's mixed hash. A probe compares the tag before the bytes, so
  // a miss costs one read of this array instead of reads of ends and bytes (2 bytes per id; full
  // 32-bit hashes read the 2M-row ingest benchmark as fast, but put 1M events over 64 bytes each)
  private short[] tags = new short[16];
  private int size;
  private int[] slots = new int[32]; // id + 1, 0 = empty; open addressing, linear probing, load <= 2/3
  // number mode, while every entry is a plain decimal number (bytes, ends, tags and slots then unused;
  // both null after): numbers[id], and hash slots of (high 32 bits of the mixed number) << 32 | (id + 1),
  // null while not built (after ids filled an empty dictionary, until the next lookup)
  private long[] numbers = new long[16];
  private long[] wide = new long[32];
  private static final long TAG = 0xFFFFFFFF00000000L;
  private static final int CACHED = 4_096;
  private String[] cache;

  /** Whether every string added so far is a plain decimal number (held as numbers, {@link #number}). */
  boolean holdsNumbers() {
    return numbers != null;
  }

  /** The id of {@code s}, added when new. */
  int id(String s) {
    return numbers != null ? numberOrText(s) : id(s, 0, s.length(), s.hashCode());
  }

  /**
   * The id of the ASCII bytes {@code b[from, to)} as a string, added when new: numbers without making
   * a string.
   */
  int id(byte[] b, int from, int to) {
    long v = numbers != null ? number(b, from, to) : -1;
    return v >= 0 ? numberId(v) : id(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }

  /** In number mode: the id of {@code s}'s number, or, for any other string, leaves number mode first. */
  private int numberOrText(String s) {
    long v = number(s, 0, s.length());
    if (v >= 0) {
      return numberId(v);
    }
    toText();
    return id(s, 0, s.length(), s.hashCode());
  }

  /** {@code stringHash}: the region's {@link String#hashCode}; text mode. */
  private int id(String s, int from, int to, int stringHash) {
    int mask = slots.length - 1;
    int hash = mix(stringHash);
    int h = hash & mask;
    for (int slot = slots[h]; slot != 0; slot = slots[h]) {
      if (tags[slot - 1] == (short) (hash >>> 16) && matches(slot - 1, s, from, to)) {
        return slot - 1;
      }
      h = (h + 1) & mask;
    }
    int id = append(s, from, to);
    tags[id] = (short) (hash >>> 16);
    slots[h] = id + 1;
    if (size * 3 > slots.length * 2) {
      rehash(slots.length * 2);
    }
    return id;
  }

  /**
   * The value of {@code s[from, to)} as a plain decimal number: 1 to 18 digits, no leading zero (but
   * "0"), so that the number's text is the string again; -1 for anything else.
   */
  static long number(String s, int from, int to) {
    int n = to - from;
    if (n < 1 || n > 18 || n > 1 && s.charAt(from) == '0') {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /**
   * The ids of {@code values[0, n)}, plain decimal numbers (at least 0, each as {@link #id} gives the
   * number's text one), as {@code n} calls of {@code id} in that order give them, new ids in order of
   * first sight. Each distinct number is looked up once, in order of its first position; an empty
   * dictionary in number mode takes them without a lookup at all (its hash slots are built at the
   * next {@link #id}). The distinct numbers are found by hashing in parts that fit the cache: the
   * values are first split by the high bits of their hash into parts of about {@value #PART} each,
   * then each part is hashed in a small table. On a column of a million actors this is several times
   * as fast as an {@code id} per row, whose probes of a table larger than the cache miss on almost
   * every row.
   */
  int[] ids(long[] values, int n) {
    int partBits = 0;
    while (partBits < 12 && (long) PART << (partBits + 1) <= n) {
      partBits++;
    }
    int parts = 1 << partBits;
    int[] start = new int[parts + 1];
    for (int i = 0; i < n; i++) {
      start[part(values[i], partBits) + 1]++;
    }
    int largest = 0;
    for (int p = 0; p < parts; p++) {
      largest = Math.max(largest, start[p + 1]);
      start[p + 1] += start[p];
    }
    long[] byPart = new long[n]; // the values split into parts, each part in position order
    int[] position = new int[n];
    int[] next = java.util.Arrays.copyOf(start, parts);
    for (int i = 0; i < n; i++) {
      int k = next[part(values[i], partBits)]++;
      byPart[k] = values[i];
      position[k] = i;
    }
    long[] seen = new long[partSlots(largest)];
    int[] firstAt = new int[seen.length]; // first position + 1 of the value in the slot; 0 = empty
    int[] first = new int[n]; // by part order: the first position of the value, then its rank by first sight
    long[] firsts = new long[(n + 63) >>> 6]; // the first positions, as a bit set
    int distinct = 0;
    for (int p = 0; p < parts; p++) {
      int mask = partSlots(start[p + 1] - start[p]) - 1;
      java.util.Arrays.fill(firstAt, 0, mask + 1, 0);
      for (int k = start[p]; k < start[p + 1]; k++) {
        long v = byPart[k];
        int h = (int) mix64(v) & mask;
        while (firstAt[h] != 0 && seen[h] != v) {
          h = (h + 1) & mask;
        }
        if (firstAt[h] == 0) {
          seen[h] = v;
          firstAt[h] = position[k] + 1;
          firsts[position[k] >>> 6] |= 1L << position[k];
          distinct++;
        }
        first[k] = firstAt[h] - 1;
      }
    }
    int[] before = new int[firsts.length + 1]; // first positions before each word of the bit set
    for (int w = 0; w < firsts.length; w++) {
      before[w + 1] = before[w] + Long.bitCount(firsts[w]);
    }
    long[] bySight = new long[distinct]; // the distinct numbers in order of first sight
    for (int k = 0; k < n; k++) {
      int r = rank(firsts, before, first[k]);
      if (first[k] == position[k]) {
        bySight[r] = byPart[k];
      }
      first[k] = r;
    }
    int[] idOf = new int[distinct];
    if (numbers != null && size == 0) {
      numbers = bySight.length >= 16 ? bySight : java.util.Arrays.copyOf(bySight, 16);
      size = distinct;
      wide = null;
      for (int r = 0; r < distinct; r++) {
        idOf[r] = r;
      }
    } else {
      for (int r = 0; r < distinct; r++) {
        idOf[r] = numbers != null ? numberId(bySight[r]) : id(Long.toString(bySight[r]));
      }
    }
    int[] ids = new int[n];
    for (int k = 0; k < n; k++) {
      ids[position[k]] = idOf[first[k]];
    }
    return ids;
  }

  /** About how many values {@link #ids} hashes in one table (its slots then fit a core's cache). */
  private static final int PART = 2_048;

  /** Slots of a table for a part of {@code values} numbers: a power of two, at least 16, at most half full. */
  private static int partSlots(int values) {
    return Integer.highestOneBit(Math.max(8, values) * 2 - 1) << 1;
  }

  /** The part of {@code v} among {@code 2^bits}: the high bits of its hash (the slots use the low ones). */
  private static int part(long v, int bits) {
    return bits == 0 ? 0 : (int) (mix64(v) >>> (64 - bits));
  }

  /** How many bits of {@code set} are below {@code bit} ({@code before}: the counts of the words below each word). */
  private static int rank(long[] set, int[] before, int bit) {
    return before[bit >>> 6] + Long.bitCount(set[bit >>> 6] & ((1L << bit) - 1));
  }

  /** {@link #number(String, int, int)} of ASCII bytes. */
  static long number(byte[] b, int from, int to) {
    int n = to - from;
    if (n < 1 || n > 18 || n > 1 && b[from] == '0') {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** The id of number {@code v} in number mode, added when new. */
  private int numberId(long v) {
    if (wide == null) {
      rehashNumbers(capacity(size));
    }
    long m = mix64(v);
    long tag = m & TAG;
    int mask = wide.length - 1;
    int h = (int) m & mask;
    for (long w = wide[h]; w != 0; w = wide[h]) {
      if ((w & TAG) == tag && numbers[(int) w - 1] == v) { // the tag spares a read of numbers on most misses
        return (int) w - 1;
      }
      h = (h + 1) & mask;
    }
    if (size == Integer.MAX_VALUE - 16) {
      throw new ConfigurationException("more than " + size + " distinct ids in one input; train on a sample "
          + "(--sample) or score in partitions (--partitions)");
    }
    if (size == numbers.length) {
      numbers = Arrays.copyOf(numbers, size + (size >> 1) + 16);
    }
    numbers[size] = v;
    wide[h] = tag | (size + 1);
    int id = size++;
    if (size * 3 > wide.length * 2) {
      rehashNumbers(wide.length * 2);
    }
    return id;
  }

  /** Leaves number mode: every number becomes its text, under the same id. */
  private void toText() {
    long[] held = numbers;
    int count = size;
    int capacity = wide == null ? capacity(count) : wide.length;
    numbers = null;
    wide = null;
    size = 0;
    used = 0;
    ends = new int[Math.max(16, count)];
    tags = new short[ends.length];
    for (int id = 0; id < count; id++) {
      String t = Long.toString(held[id]);
      append(t, 0, t.length());
      tags[id] = (short) (mix(t.hashCode()) >>> 16);
    }
    rehash(capacity);
  }

  /**
   * The string of {@code id}: the first {@value #CACHED} ids keep their decoded string (actions and
   * most categories, at most ~200 KB), the rest are decoded on each call. Concurrent calls may both
   * decode and store an equal string (a benign race: strings are immutable).
   */
  String text(int id) {
    if (id < CACHED) {
      String[] c = cache;
      if (c == null) {
        cache = c = new String[CACHED];
      }
      String s = c[id];
      if (s == null) {
        c[id] = s = decode(id);
      }
      return s;
    }
    return decode(id);
  }

  private String decode(int id) {
    if (numbers != null) {
      return Long.toString(numbers[Objects.checkIndex(id, size)]);
    }
    int start = id == 0 ? 0 : ends[id - 1];
    return new String(bytes, start, ends[id] - start, StandardCharsets.UTF_8);
  }

  /** Number of distinct strings. */
  int size() {
    return size;
  }

  /** Heap held, in bytes (arrays only). */
  long heapBytes() {
    return 4L * 16 + bytes.length + 4L * ends.length + 2L * tags.length + 4L * slots.length
        + (numbers == null ? 0 : 8L * numbers.length + (wide == null ? 0 : 8L * wide.length))
        + (cache == null ? 0 : 4L * CACHED);
  }

  /** Drops spare capacity left by growth (the hash slots stay at their load). */
  void trim() {
    if (numbers != null) {
      numbers = Arrays.copyOf(numbers, size);
      return;
    }
    bytes = Arrays.copyOf(bytes, used);
    ends = Arrays.copyOf(ends, size);
    tags = Arrays.copyOf(tags, size);
  }

  /** MurmurHash3's 64-bit finaliser (a bijection): numbers that differ in a few digits spread. */
  private static long mix64(long v) {
    long x = v ^ (v >>> 33);
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    return x ^ (x >>> 33);
  }

  /** MurmurHash3's 32-bit finaliser: ids that differ in a few digits spread over the whole table. */
  private static int mix(int h) {
    int x = h ^ (h >>> 16);
    x *= 0x85ebca6b;
    x ^= x >>> 13;
    x *= 0xc2b2ae35;
    return x ^ (x >>> 16);
  }

  /** {@code text(id).hashCode()}, from the bytes without making the string when they are ASCII. */
  private int hash(int id) {
    int start = id == 0 ? 0 : ends[id - 1];
    int end = ends[id];
    int h = 0;
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b < 0) {
        return decode(id).hashCode();
      }
      h = 31 * h + b;
    }
    return h;
  }

  private boolean matches(int id, String s, int from, int to) {
    int start = id == 0 ? 0 : ends[id - 1];
    int len = ends[id] - start;
    int n = to - from;
    for (int i = 0; i < n; i++) { // ASCII fast path: one byte per char
      char c = s.charAt(from + i);
      if (c >= 0x80) {
        byte[] utf8 = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(bytes, start, start + len, utf8, 0, utf8.length);
      }
      if (i >= len || bytes[start + i] != c) {
        return false;
      }
    }
    return len == n;
  }

  private int append(String s, int from, int to) {
    byte[] utf8 = ascii(s, from, to) ? null : s.substring(from, to).getBytes(StandardCharsets.UTF_8);
    int len = utf8 == null ? to - from : utf8.length;
    if ((long) used + len > Integer.MAX_VALUE - 16) {
      throw new ConfigurationException("more than 2 GB of distinct ids in one input; train on a sample "
          + "(--sample) or score in partitions (--partitions)");
    }
    if (used + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16,
          Math.max(used + len, bytes.length + (bytes.length >> 1))));
    }
    if (utf8 == null) {
      for (int i = 0; i < len; i++) {
        bytes[used + i] = (byte) s.charAt(from + i);
      }
    } else {
      System.arraycopy(utf8, 0, bytes, used, len);
    }
    used += len;
    if (size == ends.length) {
      ends = Arrays.copyOf(ends, size + (size >> 1) + 16);
      tags = Arrays.copyOf(tags, ends.length);
    }
    ends[size] = used;
    return size++;
  }

  private static boolean ascii(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private void rehash(int capacity) {
    int[] next = new int[capacity];
    int mask = capacity - 1;
    for (int id = 0; id < size; id++) {
      int h = mix(hash(id)) & mask;
      while (next[h] != 0) {
        h = (h + 1) & mask;
      }
      next[h] = id + 1;
    }
    slots = next;
  }

  /** The smallest number of hash slots (a power of two, at least 32) that holds {@code count} ids at load <= 2/3. */
  private static int capacity(int count) {
    int c = 32;
    while ((long) count * 3 > (long) c * 2) {
      c *= 2;
    }
    return c;
  }

  /** The number mode's slots at {@code capacity}, as {@link #rehash} for text. */
  private void rehashNumbers(int capacity) {
    long[] next = new long[capacity];
    int mask = capacity - 1;
    for (int id = 0; id < size; id++) {
      long m = mix64(numbers[id]);
      int h = (int) m & mask;
      while (next[h] != 0) {
        h = (h + 1) & mask;
      }
      next[h] = (m & TAG) | (id + 1);
    }
    wide = next;
  }
}
