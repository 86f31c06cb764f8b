package io.seqwatch.core.features;

import java.util.NoSuchElementException;

/**
 * A first-in first-out queue of {@code long}s in a growable ring: the peak-rate window of {@link
 * BehaviorAccumulator} without a boxed {@code Long} per event.
 *
 * <p>Thread-safety: not thread-safe; one per accumulator.
 */
final class LongWindow {
  private long[] ring = new long[4];
  private int head;
  private int size;

  int size() {
    return size;
  }

  void addLast(long v) {
    if (size == ring.length) {
      long[] grown = new long[ring.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = get(i);
      }
      ring = grown;
      head = 0;
    }
    ring[(head + size) & (ring.length - 1)] = v;
    size++;
  }

  long peekFirst() {
    if (size == 0) {
      throw new NoSuchElementException("empty window");
    }
    return ring[head];
  }

  void removeFirst() {
    if (size == 0) {
      throw new NoSuchElementException("empty window");
    }
    head = (head + 1) & (ring.length - 1);
    size--;
  }

  /** The {@code i}-th value, oldest first. */
  long get(int i) {
    return ring[(head + i) & (ring.length - 1)];
  }
}
