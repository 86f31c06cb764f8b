package io.seqwatch.api;

/**
 * Root of every exception Seqwatch throws. Unchecked; checked exceptions are used only for I/O.
 *
 * <p>Thread-safety: immutable after construction.
 */
public class SeqwatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SeqwatchException(String message) {
    super(message);
  }

  public SeqwatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
