package io.seqwatch.core.features;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The number of distinct values seen, in bounded memory: exact (a set) up to {@value #EXACT} values,
 * then a HyperLogLog sketch of 2^{@value #P} one-byte registers (4 KB; standard error about 1.6 %),
 * so one actor with millions of distinct items costs 4 KB, not millions of strings. The sketch's
 * estimate depends only on the set of values added, never on their order, so a batch and a stream
 * that see the same values agree to the last bit.
 *
 * <p>Thread-safety: not thread-safe; owned by one accumulator.
 */
final class DistinctCounter {
  /** Distinct values counted exactly before the sketch takes over. */
  static final int EXACT = 4_096;
  /** log2 of the register count. */
  static final int P = 12;
  private static final int M = 1 << P;
  private static final HashFunction HASH = Hashing.murmur3_128(0x5e9a7c11);

  /** Values held in a plain array before a set: most sequences touch a few items. */
  private static final int SMALL = 8;

  private final int limit;
  // the exact phase: the first SMALL values in an array (allocated on the first add), then a set
  private String[] small;
  private int smallSize;
  private Set<String> exact;
  private byte[] registers;

  /** A counter exact up to {@value #EXACT} values. */
  DistinctCounter() {
    this(EXACT);
  }

  /** A counter exact up to {@code limit} values (at most {@value #EXACT}), then sketched. */
  DistinctCounter(int limit) {
    if (limit < 1 || limit > EXACT) {
      throw new IllegalArgumentException("exact limit out of range: " + limit);
    }
    this.limit = limit;
  }

  void add(String value) {
    if (registers != null) {
      sketch(value);
      return;
    }
    if (exact == null) {
      for (int i = 0; i < smallSize; i++) {
        if (small[i].equals(value)) {
          return;
        }
      }
      if (smallSize < SMALL) {
        if (small == null) {
          small = new String[SMALL];
        }
        small[smallSize++] = value;
        if (smallSize > limit) {
          toSketch();
        }
        return;
      }
      exact = exactValues(); // in the order added, as a set filled from the start holds them
      small = null;
      smallSize = 0;
    }
    if (exact.add(value) && exact.size() > limit) {
      toSketch();
    }
  }

  /** The exact phase's values as held (no copy). */
  private Iterable<String> held() {
    return exact != null ? exact : small == null ? Set.of() : Arrays.asList(small).subList(0, smallSize);
  }

  /** The exact phase's values as a set, in the order added: the order {@link #write} keeps. */
  private Set<String> exactValues() {
    if (exact != null) {
      return exact;
    }
    Set<String> set = new HashSet<>();
    for (int i = 0; i < smallSize; i++) {
      set.add(small[i]);
    }
    return set;
  }

  private void toSketch() {
    registers = new byte[M];
    for (String v : held()) { // the registers do not depend on the order
      sketch(v);
    }
    exact = null;
    small = null;
    smallSize = 0;
  }

  private void sketch(String value) {
    long h = HASH.hashString(value, StandardCharsets.UTF_8).asLong();
    int index = (int) (h >>> (64 - P));
    int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
    }
  }

  /** Whether the count is exact (no sketch yet). */
  boolean isExact() {
    return registers == null;
  }

  /** Distinct values seen: exact, or the sketch's estimate (rounded, never below 1 once anything was added). */
  long count() {
    if (registers == null) {
      return exact != null ? exact.size() : smallSize;
    }
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += Math.scalb(1.0, -r);
      zeros += r == 0 ? 1 : 0;
    }
    double alpha = 0.7213 / (1 + 1.079 / M);
    double e = alpha * M * M / sum;
    if (e <= 2.5 * M && zeros > 0) { // small range: linear counting
      e = M * Math.log((double) M / zeros);
    }
    return Math.max(limit + 1L, Math.round(e)); // more than the exact phase held, or it would not have switched
  }

  /** Rough heap bytes held. */
  long memoryBytes(long perValueBytes) {
    if (registers != null) {
      return 16L + M;
    }
    long b = 48;
    for (String s : held()) {
      b += perValueBytes + s.length();
    }
    return b;
  }

  void write(DataOutput out) throws IOException {
    out.writeBoolean(registers != null);
    if (registers == null) {
      Set<String> values = exactValues(); // a set's order, as every layout wrote it
      out.writeInt(values.size());
      for (String s : values) {
        out.writeUTF(s);
      }
    } else {
      out.write(registers);
    }
  }

  /** Reads what {@link #write} wrote. */
  static DistinctCounter read(DataInput in) throws IOException {
    return read(in, EXACT);
  }

  /** Reads what {@link #write} wrote for a counter exact up to {@code limit} values. */
  static DistinctCounter read(DataInput in, int limit) throws IOException {
    DistinctCounter c = new DistinctCounter(limit);
    if (in.readBoolean()) {
      c.registers = new byte[M];
      in.readFully(c.registers);
      for (byte r : c.registers) {
        if (r < 0 || r > 64 - P + 1) {
          throw new ModelFormatException("streaming state: distinct-count register out of range: " + r);
        }
      }
    } else {
      int n = in.readInt();
      if (n < 0 || n > limit) {
        throw new ModelFormatException("streaming state: implausible distinct-value count " + n);
      }
      for (int i = 0; i < n; i++) {
        c.add(in.readUTF());
      }
    }
    return c;
  }

  /** A counter holding exactly {@code values} (older state layouts wrote plain sets). */
  static DistinctCounter of(Set<String> values) {
    DistinctCounter c = new DistinctCounter();
    for (String v : values) {
      c.add(v);
    }
    return c;
  }
}
