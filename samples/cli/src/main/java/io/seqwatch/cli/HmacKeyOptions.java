package io.seqwatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The pseudonymisation key of {@code stream} and {@code score}: read from a file or the {@code
 * SEQWATCH_HMAC_KEY} environment variable, never from the command line (where {@code ps}, {@code
 * /proc/PID/cmdline} and shell history show it).
 *
 * <p>Thread-safety: picocli fills it on the main thread; read it there.
 */
final class HmacKeyOptions {
  /** The environment variable that can hold the key. */
  static final String ENV = "SEQWATCH_HMAC_KEY";

  @Option(names = "--hmac-key-file", paramLabel = "FILE",
      description = "pseudonymise actor ids with HMAC-SHA256 under the key in FILE (or set " + ENV + ")")
  Path keyFile;

  /** Refused with the fix: kept so that the old spelling gets a clear message instead of "unknown option". */
  @Option(names = "--hmac-key", hidden = true)
  String onCommandLine;

  /** The key (empty: no pseudonymisation). */
  String key() {
    if (onCommandLine != null) {
      throw new CliException(ExitCodes.USAGE, "--hmac-key takes no key on the command line any more (ps and shell "
          + "history show it): put the key in a file readable only by you and pass --hmac-key-file FILE, or set "
          + ENV);
    }
    String key = secret(keyFile, ENV, "HMAC key");
    if (keyFile != null && key.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "the HMAC key file " + keyFile + " is empty");
    }
    return key;
  }

  /**
   * A secret from {@code file} when given, else from the environment variable {@code env}, white
   * space around it removed; empty when neither holds one. The one place the CLI reads keys.
   */
  static String secret(Path file, String env, String what) {
    if (file != null) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "cannot read the " + what + " file " + file + ": " + e.getMessage());
      }
    }
    String value = System.getenv(env);
    return value == null ? "" : value.strip();
  }
}
