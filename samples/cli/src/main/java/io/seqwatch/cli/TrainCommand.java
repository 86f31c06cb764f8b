package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.io.FeatureTable;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.EventTable;
import io.seqwatch.core.prep.Grouping;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch train}: read, clean, group, fit a detector, calibrate its threshold, save a bundle.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a detector on an event file and save a model bundle.")
final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin InputOptions input;

  @Mixin SigningKeyOptions signing;

  @Option(names = "--json", description = "print the summary as one JSON object on stdout (for scripts)")
  boolean json;

  @Option(names = "--threads", paramLabel = "N",
      description = "threads for features and calibration scores (default: every core); the model is the same for any N")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--group-by", defaultValue = "actor", paramLabel = "GROUPING",
      description = "actor, session or gap:<n><s|m|h> (default ${DEFAULT-VALUE})")
  String groupBy;

  @Option(names = "--detector", required = true, paramLabel = "NAME", description = "detector name (see: seqwatch plugins)")
  String detector;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "detector option, repeatable")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--representation", paramLabel = "NAME",
      description = "feature extractor or sequence encoder (default: behavior for vector detectors, tokens for sequence detectors)")
  String representation;

  @Option(names = "--encode", paramLabel = "KEY=VALUE",
      description = "option of the feature extractor or encoder, repeatable (e.g. token=action+gap)")
  Map<String, String> representationOptions = new LinkedHashMap<>();

  @Option(names = "--threshold", paramLabel = "POLICY",
      description = "evt:<risk>, alert-rate:<r>, fixed:<s>, quantile:<q>, contamination:<rate>, mad:<k>, max-f1, "
          + "target-fpr:<rate> (default: the detector's own, evt:0.01 for most; see seqwatch plugins)")
  String threshold;

  @Option(names = "--screen", paramLabel = "NAME:SHARE",
      description = "leave out of training the share of sequences this detector scores highest, e.g. isolation-forest:0.05")
  String screen;

  @Option(names = "--validation", paramLabel = "FILE", description = "labelled validation events (same format)")
  Path validation;

  @Option(names = "--validation-labels", paramLabel = "FILE", description = "labels CSV key,label[,kind] for --validation")
  Path validationLabels;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--sample", paramLabel = "N|R",
      description = "train on a seeded uniform sample of actors, each with all its events: N actors (e.g. 50000) or a "
          + "share R in (0, 1) (e.g. 0.1); only the sample is held in memory, so a log larger than memory trains")
  String sample;

  @Option(names = "--model", required = true, paramLabel = "OUT", description = "bundle folder, or a .zip")
  Path model;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    signing.signer(); // a key that cannot sign is refused before the work
    if ((validation == null) != (validationLabels == null)) {
      throw new CliException(ExitCodes.USAGE, "--validation and --validation-labels go together");
    }
    ProgressBar progress = new ProgressBar(err, "training " + detector);
    Pipeline.Builder builder = Pipeline.builder();
    if (representation != null) {
      builder.representation(representation);
    }
    representationOptions.forEach(builder::representationOption);
    if (screen != null) {
      builder.screen(screen);
    }
    if (threshold != null) {
      builder.threshold(threshold);
    }
    Pipeline pipeline = builder
        .detector(detector)
        .options(options)
        .grouping(Grouping.parse(groupBy))
        .dropDuplicates(input.dropsDuplicates())
        .seed(seed)
        .threads(threads)
        .listener(progress)
        .build();
    Path quarantine = Files.isDirectory(model) || !model.toString().endsWith(".zip")
        ? model.resolve("rejected.csv")
        : Path.of(model + ".rejected.csv");
    if (input.isTable()) {
      if (validation != null) {
        throw new CliException(ExitCodes.USAGE, "--validation works on events, not with --format features");
      }
      FeatureTable table = input.readTable(input.input, quarantine, err);
      long t0 = System.nanoTime();
      try (FittedPipeline fitted = pipeline.fitTable(table)) {
        progress.finish();
        saveAndReport(fitted, String.format(Locale.ROOT, "%,d rows of %d features", table.rows().size(),
            table.schema().size()), (System.nanoTime() - t0) / 1e9, List.of(), Map.of("rows", table.rows().size()));
      }
      return ExitCodes.OK;
    }
    // events are held column-wise (EventTable: about 30 bytes each plus the distinct ids), and only the
    // sampled actors' with --sample: memory follows the sample, not the file
    EventTable events = input.readEvents(input.input, quarantine, err, sample, seed);
    List<BehaviorSequence> training = pipeline.sequences(events);
    List<BehaviorSequence> valid = List.of();
    Labels labels = null;
    if (validation != null) {
      valid = pipeline.sequences(input.read(validation, Path.of(quarantine + ".validation.csv"), err));
      labels = Labels.read(validationLabels);
    }
    long t0 = System.nanoTime();
    try (FittedPipeline fitted = labels == null ? pipeline.fit(training) : pipeline.fit(training, valid, labels)) {
      progress.finish();
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, String> summary = fitted.trainingSummary();
      saveAndReport(fitted, String.format(Locale.ROOT, "%,d sequences (%,d events)",
          Integer.parseInt(summary.get("sequences")), Long.parseLong(summary.get("events"))), seconds,
          summary.containsKey("screened_by")
              ? List.of(String.format(Locale.ROOT, "the screen %s left out %s of %,d training sequences",
                  summary.get("screened_by"), summary.get("screened_out"), training.size()))
              : List.of(), Map.of("sequences", Long.parseLong(summary.get("sequences")),
                  "events", Long.parseLong(summary.get("events"))));
    }
    return ExitCodes.OK;
  }

  /** Saves the bundle, then says what it was trained on, any {@code notes}, and where it went. */
  private void saveAndReport(FittedPipeline fitted, String trainedOn, double seconds, List<String> notes,
      Map<String, Object> counts) throws IOException {
    signing.save(fitted, model);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("command", "train");
      m.put("detector", detector);
      m.put("read", input.readJson());
      m.putAll(counts);
      m.put("seconds", Math.round(seconds * 1000) / 1000.0);
      m.put("threshold", Map.of("policy", fitted.threshold().policy(), "value", fitted.threshold().value()));
      m.put("training", fitted.trainingSummary());
      m.put("detector_training", fitted.provenance().trainingSummary());
      m.put("notes", notes);
      m.put("model", model.toString());
      out.println(JsonSummary.write(m));
      out.flush();
      return;
    }
    out.printf(Locale.ROOT, "trained %s on %s in %.1f s; threshold %s = %.6g%n", detector, trainedOn, seconds,
        fitted.threshold().policy(), fitted.threshold().value());
    String modalities = fitted.provenance().trainingSummary().get("modalities");
    if (modalities != null) { // a multimodal model: what it fuses
      out.printf("modalities fused: %s%n", modalities);
    }
    Map<String, String> detectorSummary = fitted.provenance().trainingSummary();
    if (detectorSummary.containsKey("pretrained.weights-sha256")) { // started from a pretrained encoder
      out.printf(Locale.ROOT, "pretrained encoder: %s (sha256 %s..., %s epochs on %s events)%n",
          detectorSummary.get("pretrained.path"), detectorSummary.get("pretrained.weights-sha256").substring(0, 12),
          detectorSummary.get("pretrained.epochs"), detectorSummary.getOrDefault("pretrained.data.events", "?"));
    }
    fitted.featureExtractor().filter(x -> x instanceof io.seqwatch.core.features.BehaviorFeatureExtractor)
        .flatMap(x -> ((io.seqwatch.core.features.BehaviorFeatureExtractor) x).historySummary())
        .ifPresent(h -> out.printf("per-actor baseline: %s%n", h));
    notes.forEach(out::println);
    out.printf("saved model bundle to %s%n", model);
    out.flush();
  }
}
