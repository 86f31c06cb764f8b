package io.seqwatch.core.io;

/**
 * Counts of one read. {@code accepted + rejected == read} always holds; blank lines are not records
 * and are counted apart.
 *
 * @param read records (non-blank, non-header lines) read
 * @param accepted records turned into events
 * @param rejected records rejected with a reason
 * @param blankLines blank lines skipped
 * @param events events produced (a tokens line yields several)
 *     <p>Thread-safety: immutable.
 */
public record ReadSummary(long read, long accepted, long rejected, long blankLines, long events) {
  public ReadSummary {
    if (accepted + rejected != read) {
      throw new IllegalStateException(
          "reader lost records: read " + read + " but accepted " + accepted + " + rejected " + rejected);
    }
  }
}
