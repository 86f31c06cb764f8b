package io.seqwatch.cli;

import io.seqwatch.api.DataFormatException;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.eval.CrossValidation;
import io.seqwatch.core.eval.EvaluationResult;
import io.seqwatch.core.eval.Evaluator;
import io.seqwatch.core.eval.HtmlReport;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Grouping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch evaluate}: compares a scores CSV with labels and prints the metrics.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate scores against labels: P/R/F1, ROC-AUC, PR-AUC, per-kind recall, HTML report.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--scores", paramLabel = "FILE", description = "scores CSV from seqwatch score (or --cv)")
  Path scores;

  @Option(names = "--cv", paramLabel = "K",
      description = "k-fold cross-validation instead of --scores: fit --detector on k-1 stratified folds of the "
          + "labelled sequences in --input, score and decide the k-th, k times")
  Integer cv;

  @Option(names = "--input", paramLabel = "FILE", description = "--cv: event file")
  Path input;

  @Option(names = "--format", paramLabel = "FORMAT", description = "--cv: format of --input (as for train)")
  String format;

  @Option(names = "--mapping", paramLabel = "FILE", description = "--cv: column mapping JSON for --format csv")
  Path mapping;

  @Option(names = "--detector", paramLabel = "NAME", description = "--cv: detector name")
  String detector;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "--cv: detector option, repeatable")
  Map<String, String> options = new java.util.LinkedHashMap<>();

  @Option(names = "--threshold", paramLabel = "POLICY", description = "--cv: threshold policy (default: the detector's)")
  String threshold;

  @Option(names = "--group-by", defaultValue = "actor", paramLabel = "GROUPING", description = "--cv: grouping (default ${DEFAULT-VALUE})")
  String groupBy;

  @Option(names = "--rejected", defaultValue = "cv-rejected.csv", paramLabel = "FILE",
      description = "--cv: where rejected input records go (default ${DEFAULT-VALUE})")
  Path rejected;

  @Option(names = "--seed", defaultValue = "42", description = "--cv: seed of the folds and the models (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--labels", required = true, paramLabel = "FILE", description = "labels CSV key,label[,kind]")
  Path labels;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the metrics as JSON")
  Path json;

  @Option(names = "--report", paramLabel = "FILE",
      description = "also write a self-contained HTML report (ROC/PR curves, histograms, top alerts)")
  Path report;

  @picocli.CommandLine.Mixin SigningKeyOptions signing;

  @Option(names = "--model", paramLabel = "M",
      description = "the bundle that wrote the scores: the report's histogram draws its threshold")
  Path model;

  /** Scores read back from a scores CSV. */
  record ScoreTable(List<String> keys, double[] scores, boolean[] flagged, List<String> reasons) {
    List<HtmlReport.Row> rows() {
      List<HtmlReport.Row> out = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        out.add(new HtmlReport.Row(keys.get(i), scores[i], flagged[i], reasons.get(i)));
      }
      return out;
    }
  }

  @Override
  public Integer call() throws IOException {
    if (cv != null) {
      return crossValidate();
    }
    if (scores == null) {
      throw new CliException(ExitCodes.USAGE, "evaluate needs --scores FILE, or --cv K with --input, --format and --detector");
    }
    ScoreTable t = readScores(scores);
    Labels l = Labels.read(labels);
    EvaluationResult r = Evaluator.evaluate(t.keys(), t.scores(), t.flagged(), l);
    PrintWriter out = spec.commandLine().getOut();
    print(out, r);
    if (json != null) {
      Evaluator.writeJson(r, json);
      out.println("wrote " + json);
    }
    if (report != null) {
      java.util.OptionalDouble threshold = java.util.OptionalDouble.empty();
      if (model != null) {
        try (FittedPipeline p = signing.load(model)) {
          threshold = java.util.OptionalDouble.of(p.threshold().value());
        }
      }
      HtmlReport.write(report, scores.getFileName().toString(), r, t.rows(), l, threshold);
      out.println("wrote " + report);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private Integer crossValidate() throws IOException {
    if (scores != null || input == null || format == null || detector == null) {
      throw new CliException(ExitCodes.USAGE, "--cv K needs --input, --format and --detector (and no --scores)");
    }
    PrintWriter err = spec.commandLine().getErr();
    InputOptions in = new InputOptions();
    in.input = input;
    in.format = format;
    in.mapping = mapping;
    Pipeline.Builder b = Pipeline.builder().detector(detector).options(options).grouping(Grouping.parse(groupBy))
        .dropDuplicates(in.dropsDuplicates()).seed(seed);
    if (threshold != null) {
      b.threshold(threshold);
    }
    Pipeline pipeline = b.build();
    List<BehaviorSequence> sequences = pipeline.sequences(in.read(input, rejected, err));
    Labels l = Labels.read(labels);
    CrossValidation.Result r = CrossValidation.run(pipeline, sequences, l, cv, seed);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%d-fold cross-validation of %s (each fold scored and decided by a model and threshold "
        + "fitted on the other folds)%n", cv, detector);
    Tables folds = new Tables("metric", "pooled", "fold mean", "fold sd");
    for (Map.Entry<String, java.util.function.ToDoubleFunction<EvaluationResult>> m : List.<Map.Entry<String,
        java.util.function.ToDoubleFunction<EvaluationResult>>>of(Map.entry("ROC-AUC", EvaluationResult::rocAuc),
        Map.entry("PR-AUC", EvaluationResult::prAuc), Map.entry("precision", EvaluationResult::precision),
        Map.entry("recall", EvaluationResult::recall), Map.entry("F1", EvaluationResult::f1),
        Map.entry("FPR", EvaluationResult::fpr))) {
      double[] ms = r.meanAndSd(m.getValue());
      folds.row(m.getKey(), Tables.num(m.getValue().applyAsDouble(r.pooled())), Tables.num(ms[0]), Tables.num(ms[1]));
    }
    out.print(folds.render());
    print(out, r.pooled());
    if (json != null) {
      Evaluator.writeJson(r.pooled(), json);
      out.println("wrote " + json + " (pooled)");
    }
    out.flush();
    return ExitCodes.OK;
  }

  static void print(PrintWriter out, EvaluationResult r) {
    out.printf(Locale.ROOT, "%,d labelled sequences (%,d anomalous)%s%n", r.sequences(), r.anomalous(),
        r.unlabelled() > 0 ? String.format(Locale.ROOT, ", %,d scored without a label left out", r.unlabelled()) : "");
    out.print(new Tables("metric", "value")
        .row("ROC-AUC", Tables.num(r.rocAuc()))
        .row("PR-AUC", Tables.num(r.prAuc()))
        .row("precision@k", Tables.num(r.precisionAtK()))
        .row("precision", Tables.num(r.precision()))
        .row("recall", Tables.num(r.recall()))
        .row("F1", Tables.num(r.f1()))
        .row("FPR", Tables.num(r.fpr()))
        .row("accuracy", Tables.num(r.accuracy()))
        .row("TP / FP / TN / FN", r.tp() + " / " + r.fp() + " / " + r.tn() + " / " + r.fn())
        .render());
    if (!r.perKind().isEmpty()) {
      Tables k = new Tables("kind", "count", "caught", "recall");
      for (Map.Entry<String, EvaluationResult.KindRecall> e : r.perKind().entrySet()) {
        k.row(e.getKey(), Integer.toString(e.getValue().count()), Integer.toString(e.getValue().caught()),
            Tables.num(e.getValue().recall()));
      }
      out.print(k.render());
    }
  }

  static ScoreTable readScores(Path file) throws IOException {
    List<String> keys = new ArrayList<>();
    List<Double> s = new ArrayList<>();
    List<Boolean> f = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
      for (String h : List.of("key", "score", "anomalous")) {
        if (!p.getHeaderNames().contains(h)) {
          throw new DataFormatException(file + ": scores need a header key,score,anomalous[,reasons]; found "
              + p.getHeaderNames());
        }
      }
      for (CSVRecord rec : p) {
        long line = rec.getRecordNumber() + 1;
        try {
          double v = Double.parseDouble(rec.get("score"));
          if (!Double.isFinite(v)) {
            throw new NumberFormatException("not finite");
          }
          s.add(v);
        } catch (NumberFormatException e) {
          throw new DataFormatException(file + " line " + line + ": score '" + rec.get("score") + "' is not a number");
        }
        String a = rec.get("anomalous");
        if (!a.equals("0") && !a.equals("1")) {
          throw new DataFormatException(file + " line " + line + ": anomalous '" + a + "' is not 0 or 1");
        }
        keys.add(rec.get("key"));
        f.add(a.equals("1"));
        reasons.add(rec.isMapped("reasons") && rec.isSet("reasons") ? rec.get("reasons") : "");
      }
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      throw new DataFormatException(file + ": not a valid scores CSV: " + e.getMessage(), e);
    }
    if (keys.isEmpty()) {
      throw new DataFormatException(file + " has no scores");
    }
    double[] sc = new double[s.size()];
    boolean[] fl = new boolean[f.size()];
    for (int i = 0; i < sc.length; i++) {
      sc[i] = s.get(i);
      fl[i] = f.get(i);
    }
    return new ScoreTable(keys, sc, fl, reasons);
  }
}
