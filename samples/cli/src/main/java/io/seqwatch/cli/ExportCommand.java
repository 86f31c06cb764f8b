package io.seqwatch.cli;

import io.seqwatch.core.pipeline.FittedPipeline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch export --model M --to onnx --out M2}: writes a bundle whose neural detector is an
 * ONNX graph, for applications that score with {@code seqwatch-engine-onnx} only; {@code --to
 * onnx-int8} writes int8 weights where the detector offers it ({@code masked-transformer}).
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a trained bundle's detector for another engine (onnx).")
final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "trained bundle (folder or .zip)")
  Path model;

  @Option(names = "--to", required = true, description = "target: onnx, or onnx-int8 (int8 weights, where the "
      + "detector offers it: masked-transformer)")
  String to;

  @Option(names = "--out", required = true, description = "exported bundle (folder or .zip)")
  Path out;

  @picocli.CommandLine.Mixin SigningKeyOptions signing;

  @Override
  public Integer call() throws Exception {
    String target = to.trim().toLowerCase(Locale.ROOT);
    if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
      throw new CliException(ExitCodes.USAGE, "--out must differ from --model");
    }
    java.util.Optional<io.seqwatch.core.pipeline.SigningKey> key = signing.signer();
    try (FittedPipeline p = ScoreCommand.load(model, key)) {
      if (key.isPresent()) {
        p.export(out, target, key.get());
      } else {
        p.export(out, target);
      }
      PrintWriter o = spec.commandLine().getOut();
      long bytes;
      try (var files = Files.isDirectory(out) ? Files.walk(out) : java.util.stream.Stream.of(out)) {
        bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
      String engine = p.model() instanceof io.seqwatch.spi.Exportable e ? e.engine(target) : target;
      o.printf(Locale.ROOT, "exported %s (%s) to %s for the %s engine: %s (%,d bytes); score it with "
          + "io.seqwatch:seqwatch-engine-%s on the class path%n", model, p.provenance().detector(),
          target, engine, out, bytes, engine);
      o.flush();
    }
    return ExitCodes.OK;
  }
}
