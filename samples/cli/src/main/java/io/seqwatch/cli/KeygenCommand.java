package io.seqwatch.cli;

import io.seqwatch.core.pipeline.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch keygen}: an Ed25519 key pair for signing bundles and snapshots. The trainer signs
 * with {@code NAME.pem}; scoring services verify with {@code NAME.pub.pem}, which cannot sign.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Generate an Ed25519 signing key pair: OUT.pem (private; train and export sign with it) and "
        + "OUT.pub.pem (public; score, stream and evaluate verify with it and cannot sign).")
final class KeygenCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "file name stem, e.g. keys/signing")
  Path out;

  @Option(names = "--force", description = "replace existing key files")
  boolean force;

  @Override
  public Integer call() throws IOException {
    Path priv = Path.of(out + ".pem");
    Path pub = Path.of(out + ".pub.pem");
    if (!force && (Files.exists(priv) || Files.exists(pub))) {
      throw new CliException(ExitCodes.USAGE, priv + " or " + pub + " exists; give --force to replace the key pair");
    }
    SigningKey k = SigningKey.generateEd25519(priv, pub);
    PrintWriter o = spec.commandLine().getOut();
    o.printf("wrote %s (private: keep it where models are trained) and %s (public: give it to the services that "
        + "load models); key id %s%n", priv, pub, k.id());
    o.printf("sign:   seqwatch train ... --signing-key-file %s%n", priv);
    o.printf("verify: seqwatch score ... --signing-key-file %s%n", pub);
    o.flush();
    return ExitCodes.OK;
  }
}
