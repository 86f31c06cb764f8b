package io.seqwatch.cli;

import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.SigningKey;
import java.io.IOException;
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
      description = "sign bundles and snapshots with the key in FILE (or set " + ENV + "): a shared secret "
          + "(HMAC-SHA256) or an Ed25519 key in PEM (seqwatch keygen; the public key verifies but cannot sign); "
          + "loading then accepts only bundles signed with it")
  Path file;

  /** The key, when one is configured. */
  Optional<SigningKey> key() {
    String key = HmacKeyOptions.secret(file, ENV, "signing key");
    if (file == null && key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SigningKey.fromText(key, file != null ? file.toString() : "$" + ENV));
    } catch (io.seqwatch.api.ConfigurationException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /**
   * The key, when one is configured, for a command that signs: a public key is refused here, before
   * any work, rather than after training.
   */
  Optional<SigningKey> signer() {
    Optional<SigningKey> k = key();
    if (k.isPresent() && !k.get().canSign()) {
      throw new CliException(ExitCodes.USAGE, "the signing key " + (file != null ? file : "$" + ENV) + " is a public key "
          + "(" + k.get().id() + "): it verifies bundles and snapshots but cannot sign them; give the private key file "
          + "(seqwatch keygen wrote OUT.pem beside OUT.pub.pem)");
    }
    return k;
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
