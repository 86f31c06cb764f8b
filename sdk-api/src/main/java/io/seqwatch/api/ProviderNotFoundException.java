package io.seqwatch.api;

/**
 * No provider of the requested kind or name was found on the class path. The message lists what was found and which artifact to add.
 *
 * <p>Thread-safety: immutable after construction.
 */
public class ProviderNotFoundException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  public ProviderNotFoundException(String message) {
    super(message);
  }

  public ProviderNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
