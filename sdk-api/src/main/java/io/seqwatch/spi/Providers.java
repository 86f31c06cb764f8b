package io.seqwatch.spi;

import java.util.List;
import java.util.Optional;

/**
 * The providers a pipeline was built with, for providers that build on others (an ensemble's
 * members, a per-segment policy's base policy): they look their parts up here rather than in a
 * class path of their own, so that providers a caller injected are found too.
 *
 * <p>Thread-safety: implementations are immutable.
 */
public interface Providers {
  /** The provider of {@code kind} named {@code name}, if there is one. */
  <P extends Provider> Optional<P> lookup(Class<P> kind, String name);

  /** The names of every provider of {@code kind}, sorted (for error messages). */
  List<String> names(Class<? extends Provider> kind);

  /**
   * The provider of {@code kind} named {@code name}.
   *
   * @throws io.seqwatch.api.ProviderNotFoundException naming the providers found
   */
  default <P extends Provider> P find(Class<P> kind, String name) {
    return lookup(kind, name).orElseThrow(() -> new io.seqwatch.api.ProviderNotFoundException("Unknown "
        + kind.getSimpleName().replace("Provider", "").toLowerCase(java.util.Locale.ROOT) + " '" + name + "'. Found: "
        + String.join(", ", names(kind)) + ". Add the plugin that provides it."));
  }
}
