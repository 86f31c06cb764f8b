package io.seqwatch.cli;

import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The bundle and snapshot signing key: from {@code --signing-key-file} or the {@code
 * SEQWATCH_SIGNING_KEY} environment variable, never the command line. {@code train} and {@code
 * export} sign with it; {@code score}, {@code stream} and {@code evaluate --model} accept only
 * bundles signed with it; {@code stream} signs its snapshots.
 *
 * <p>Thread-safety: picocli fills it on the main thread; read it there.
 */
final class SigningKeyOptions {
  static final String ENV = "SEQWATCH_SIGNING_KEY";

  @Option(names = "--signing-key-file", paramLabel = "FILE",
      description = "sign bundles and snapshots with the HMAC-SHA256 key in FILE (or set " + ENV + "); loading "
          + "then accepts only bundles signed with it")
  Path file;

  /** The key, when one is configured. */
  Optional<SigningKey> key() {
    String key = HmacKeyOptions.secret(file, ENV, "signing key");
    if (file == null && key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SigningKey.of(key.getBytes(StandardCharsets.UTF_8)));
    } catch (io.seqwatch.api.ConfigurationException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** Loads a bundle, checking its signature when a key is configured. */
  FittedPipeline load(Path model) throws IOException {
    Optional<SigningKey> k = key();
    return ScoreCommand.load(model, k);
  }

  /** Saves a bundle, signed when a key is configured. */
  void save(FittedPipeline p, Path target) throws IOException {
    Optional<SigningKey> k = key();
    if (k.isPresent()) {
      p.save(target, k.get());
    } else {
      p.save(target);
    }
  }
}
