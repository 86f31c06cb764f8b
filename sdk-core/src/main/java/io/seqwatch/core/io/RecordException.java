package io.seqwatch.core.io;

/**
 * Thrown by a line parser to reject one record; carries the reason. Internal to the readers.
 *
 * <p>Thread-safety: immutable.
 */
final class RecordException extends Exception {
  private static final long serialVersionUID = 1L;

  RecordException(String reason) {
    super(reason, null, false, false);
  }
}
