package io.seqwatch.spi;

import java.util.List;

/**
 * What every provider kind shares: a stable name, a priority for ties, and declared options.
 *
 * <p>Thread-safety: implementations must be stateless and safe to share between threads.
 */
public interface Provider {
  /** Stable lower-case name used by the CLI, bundles and docs, for example {@code isolation-forest}. */
  String name();

  /** One-line description for {@code seqwatch plugins}. */
  String description();

  /** Options this provider accepts, with types and defaults. */
  List<OptionSpec> options();

  /** Higher wins when two providers share a name or when no name is given. Default 0. */
  default int priority() {
    return 0;
  }

  /** Version of the implementation, from the jar manifest when present. */
  default String version() {
    String v = getClass().getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
