package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.ScoreCsv;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.PartitionedScorer;
import io.seqwatch.spi.support.AlertJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch score}: scores every sequence of an event file with a saved bundle.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score an event file with a model bundle; writes key,score,anomalous,reasons.")
final class ScoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M", description = "model bundle folder or .zip")
  Path model;

  @Mixin InputOptions input;

  @Option(names = "--output", required = true, paramLabel = "FILE",
      description = "scores CSV to write (written to a temporary sibling, then renamed into place)")
  Path output;

  @Mixin HmacKeyOptions hmac;

  @Option(names = "--json", description = "print the summary as one JSON object on stdout (for scripts)")
  boolean json;

  @Option(names = "--threads", paramLabel = "N",
      description = "threads for features and scores (default: every core); the scores are the same for any N")
  int threads = Runtime.getRuntime().availableProcessors();

  @Mixin SigningKeyOptions signing;

  @Option(names = "--partitions", paramLabel = "N",
      description = "score in N partitions spilled to disk, so memory holds one partition, not the input "
          + "(default: in memory while the events take at most a quarter of the heap, past that one partition per "
          + "64 MB of input; 1 holds it all); the scores and their order are the same for any N")
  Integer partitions;

  @Option(names = "--spill-dir", paramLabel = "DIR",
      description = "where partitions are spilled (default: beside --output; needs about the input's size free)")
  Path spillDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    try (FittedPipeline p = signing.load(model)) {
      if (p.isTable() != input.isTable()) {
        throw new CliException(ExitCodes.USAGE, p.isTable()
            ? "this model was trained on a feature table (columns " + p.tableColumns() + "): score it with --format features"
            : "this model was trained on events, so it cannot score --format features; train a model with "
                + "--format features for a feature table");
      }
      Path quarantine = Path.of(output + ".rejected.csv");
      String key = hmac.key();
      input.withholdRawRejects(!key.isEmpty()); // the raw lines hold the ids the output pseudonymises
      AlertJson keys = new AlertJson(key);
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      long[] counts = new long[2]; // written, flagged
      String partitioned = "";
      // a temporary sibling renamed into place: a crash or a full disk never leaves a partial scores file
      Path tmp = Files.createTempFile(parent, "." + output.getFileName(), ".tmp");
      try {
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, ScoreCsv.FORMAT)) {
          java.util.function.Consumer<Score> write = s -> {
            try {
              csv.printRecord(ScoreCsv.values(s, keys.key(s.key())));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            counts[0]++;
            counts[1] += s.anomalous() ? 1 : 0;
          };
          if (input.isTable()) {
            p.scoreTable(input.readTable(input.input, quarantine, err)).forEach(write);
          } else {
            partitioned = scoreEvents(p, quarantine, parent, err, write);
          }
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause();
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      long written = counts[0];
      long flagged = counts[1];
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("command", "score");
        m.put("detector", p.provenance().detector());
        m.put("read", input.readJson());
        m.put(input.isTable() ? "rows" : "sequences", written);
        m.put("anomalous", flagged);
        m.put("threshold", java.util.Map.of("policy", p.threshold().policy(), "value", p.threshold().value()));
        m.put("pseudonymised", !key.isEmpty());
        m.put("output", output.toString());
        out.println(JsonSummary.write(m));
        out.flush();
        return ExitCodes.OK;
      }
      out.printf(Locale.ROOT, "scored %,d %s with %s: %,d anomalous at threshold %.6g (%s); wrote %s%s%n",
          written, input.isTable() ? "rows" : "sequences", p.provenance().detector(), flagged,
          p.threshold().value(), p.threshold().policy(), output, partitioned);
      if (!key.isEmpty()) {
        out.println("keys are pseudonymised (HMAC-SHA256): hash the labels' keys with the same key to evaluate");
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  /**
   * Reads and scores --input through a {@link PartitionedScorer} (one partition per 64 MB unless
   * --partitions says otherwise), handing scores to {@code write} in order; returns a note on the
   * partitions for the summary line ("" when one).
   */
  private String scoreEvents(FittedPipeline p, Path quarantine, Path parent, PrintWriter err,
      java.util.function.Consumer<Score> write) throws IOException {
    // without --partitions: in memory while the events' column store is within a quarter of the heap,
    // past that spilled into one partition per 64 MB of input (16 for input of unknown size)
    int n = partitions != null ? partitions
        : Files.isRegularFile(input.input) ? PartitionedScorer.partitionsFor(Files.size(input.input)) : 16;
    ProgressBar bar = new ProgressBar(err, "scoring");
    PartitionedScorer.Builder b = PartitionedScorer.builder(p).partitions(n).threads(threads)
        .spillDirectory(spillDir != null ? spillDir : parent != null ? parent : Path.of("."))
        .progress((done, of, sequences) -> bar.work(done, of, String.format(Locale.ROOT,
            "%d of %d partitions, %,d sequences, %s", done, of, sequences, bar.perSecond(sequences))));
    if (partitions == null) {
      b.spillAbove(Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }
    try (PartitionedScorer s = b.build()) {
      input.forEach(input.input, quarantine, err, 0, s.input());
      PartitionedScorer.Summary sum = s.finish(write);
      return sum.partitions() == 1 ? "" : String.format(Locale.ROOT,
          " (in %d partitions of at most %,d events; %,d MB spilled)", sum.partitions(), sum.largestPartition(),
          sum.spilledBytes() >> 20);
    }
  }

  static FittedPipeline load(Path model) throws IOException {
    return load(model, java.util.Optional.empty());
  }

  /** Loads a bundle (which must be signed with {@code key} when one is given); a refusal is exit 4. */
  static FittedPipeline load(Path model, java.util.Optional<io.seqwatch.core.pipeline.SigningKey> key)
      throws IOException {
    try {
      return key.isPresent() ? FittedPipeline.load(model, key.get()) : FittedPipeline.load(model);
    } catch (ProviderNotFoundException e) {
      throw new CliException(ExitCodes.MODEL, e.getMessage() + " From the command line: --plugins DIR adds the jars "
          + "in DIR (or " + PluginPath.ENV + "=DIR).", e);
    } catch (ModelFormatException e) {
      throw new CliException(ExitCodes.MODEL, e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException(ExitCodes.MODEL, "cannot read model bundle " + model + ": " + e.getMessage(), e);
    }
  }
}
