package io.seqwatch.api;

/**
 * A saved model or bundle is corrupt, truncated, of an unknown format version or otherwise unusable. The message says what is wrong.
 *
 * <p>Thread-safety: immutable after construction.
 */
public class ModelFormatException extends SeqwatchException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
