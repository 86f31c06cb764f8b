package io.seqwatch.cli;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.prep.EventTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch embed}: each sequence of an event file as a vector from a model that embeds (a
 * pretrained {@code masked-transformer}), written as CSV {@code key,e0,e1,...}: the input of
 * clustering, neighbour search or {@code train --format features} downstream.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = "Write each sequence's embedding (key,e0,e1,...) from an encoder model bundle.")
final class EmbedCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M",
      description = "model bundle folder or .zip (seqwatch pretrain writes one to OUT/model)")
  Path model;

  @Mixin InputOptions input;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "CSV to write")
  Path output;

  @Mixin SigningKeyOptions signing;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    try (FittedPipeline p = signing.load(model)) {
      if (p.isTable()) {
        throw new CliException(ExitCodes.USAGE, "this model was trained on a feature table; embeddings come from sequence encoders");
      }
      Path parent = output.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      EventTable events = new EventTable();
      input.forEach(input.input, Path.of(output + ".rejected.csv"), err, 0, events);
      List<BehaviorSequence> seqs = p.sequences(events);
      List<float[]> vectors = p.embed(seqs);
      int size = vectors.isEmpty() ? 0 : vectors.get(0).length;
      String[] header = new String[size + 1];
      header[0] = "key";
      for (int d = 0; d < size; d++) {
        header[d + 1] = "e" + d;
      }
      Path tmp = Files.createTempFile(parent, "." + output.getFileName(), ".tmp");
      try {
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
          for (int i = 0; i < seqs.size(); i++) {
            Object[] row = new Object[size + 1];
            row[0] = seqs.get(i).key();
            float[] v = vectors.get(i);
            for (int d = 0; d < size; d++) {
              row[d + 1] = v[d];
            }
            csv.printRecord(row);
          }
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "embedded %,d sequences as %d numbers each to %s%n", seqs.size(), size, output);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
