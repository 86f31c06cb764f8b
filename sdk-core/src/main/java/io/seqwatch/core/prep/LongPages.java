package io.seqwatch.core.prep;

import java.util.Arrays;

/**
 * A column of {@code long}s written in row order and kept in pages of {@value #SIZE}: growing never
 * copies what is held, no array is large enough for the collector to treat as humongous, a page no
 * row has written reads as the column's default, and a full page whose values are all equal is kept
 * as that one value (source lines, held as line - row, cost nothing for a file without rejects).
 *
 * <p>Thread-safety: not thread-safe while written; reads may run concurrently after the last write.
 */
final class LongPages {
  static final int SHIFT = 14;
  static final int SIZE = 1 << SHIFT;
  private static final int MASK = SIZE - 1;
  private static final int FIRST = 64;
  private final long none;
  private long[][] pages = new long[4][];
  private long[] constant = new long[4]; // the value of every row of a page that has no array

  /** A column whose unwritten rows read {@code none}. */
  LongPages(long none) {
    this.none = none;
    Arrays.fill(constant, none);
  }

  long get(int row) {
    long[] page = pages[row >>> SHIFT];
    return page == null ? constant[row >>> SHIFT] : (row & MASK) < page.length ? page[row & MASK] : none;
  }

  /** Writes {@code row}; rows are written in increasing order, each at most once. */
  void set(int row, long value) {
    int p = row >>> SHIFT;
    if (p >= pages.length) {
      int n = Math.max(p + 1, pages.length * 2);
      pages = Arrays.copyOf(pages, n);
      int old = constant.length;
      constant = Arrays.copyOf(constant, n);
      Arrays.fill(constant, old, n, none);
    }
    long[] page = pages[p];
    if (page == null) {
      if (value == none) {
        return;
      }
      page = new long[Math.min(SIZE, FIRST)]; // the last page grows, so a small column stays small
      Arrays.fill(page, none);
      pages[p] = page;
    }
    if ((row & MASK) >= page.length) {
      int old = page.length;
      page = Arrays.copyOf(page, Math.min(SIZE, Math.max((row & MASK) + 1, old * 2)));
      Arrays.fill(page, old, page.length, none);
      pages[p] = page;
    }
    page[row & MASK] = value;
    if ((row & MASK) == MASK) { // the page is full: one value if they are all equal
      long v = page[0];
      for (long x : page) {
        if (x != v) {
          return;
        }
      }
      pages[p] = null;
      constant[p] = v;
    }
  }

  /** Bytes of the arrays held. */
  long heapBytes() {
    long b = 16L + 4L * pages.length + 16L + 8L * constant.length;
    for (long[] page : pages) {
      b += page == null ? 0 : 16 + 8L * page.length;
    }
    return b;
  }
}
