package io.seqwatch.api;

/**
 * A configuration value, option or combination of components is invalid. The message names the value and the fix.
 *
 * <p>Thread-safety: immutable after construction.
 */
public class ConfigurationException extends SeqwatchException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
