package io.seqwatch.api;

/**
 * Input data cannot be used at all (for example no valid record in a file). Single malformed records are not exceptions: they become {@link RejectedRecord}s.
 *
 * <p>Thread-safety: immutable after construction.
 */
public class DataFormatException extends SeqwatchException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
