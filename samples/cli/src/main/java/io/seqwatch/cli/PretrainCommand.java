package io.seqwatch.cli;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.EventTable;
import io.seqwatch.core.prep.Grouping;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code seqwatch pretrain}: self-supervised pretraining of the {@code masked-transformer} encoder
 * on an unlabelled log, with a checkpoint after every epoch in {@code --out}; the same command run
 * again resumes from it. The encoder then starts other fits ({@code train --detector
 * masked-transformer --set pretrained=OUT}), on this shop or another, and the folder also holds a
 * bundle that scores with it as it is.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pretrain the masked-event Transformer encoder on an unlabelled event file (resumable).")
final class PretrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin InputOptions input;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "folder for the checkpoint (encoder.ckpt, rewritten after every epoch) and the bundle (model/)")
  Path out;

  @Option(names = "--size", defaultValue = "small", paramLabel = "small|base",
      description = "small: width 64, 2 blocks, 4 heads; base: width 128, 4 blocks, 4 heads (default ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "epochs (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--group-by", defaultValue = "actor", paramLabel = "GROUPING",
      description = "actor, session or gap:<n><s|m|h> (default ${DEFAULT-VALUE})")
  String groupBy;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "further masked-transformer option, repeatable (see seqwatch plugins)")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--sample", paramLabel = "N|R",
      description = "pretrain on a seeded uniform sample of actors: N actors or a share R in (0, 1); only the sample is held in memory")
  String sample;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> all = new LinkedHashMap<>(options);
    all.put("size", size);
    all.put("epochs", Integer.toString(epochs));
    all.put("checkpoint-dir", out.toString());
    ProgressBar progress = new ProgressBar(err, "pretraining");
    Pipeline pipeline = Pipeline.builder()
        .detector("masked-transformer")
        .options(all)
        .grouping(Grouping.parse(groupBy))
        .dropDuplicates(input.dropsDuplicates())
        .threshold("quantile:0.99") // from the model's own scores: pretraining fits the encoder once
        .seed(seed)
        .listener(progress)
        .build();
    java.nio.file.Files.createDirectories(out);
    Path quarantine = out.resolve("rejected.csv");
    EventTable events = input.readEvents(input.input, quarantine, err, sample, seed);
    List<BehaviorSequence> training = pipeline.sequences(events);
    long t0 = System.nanoTime();
    try (FittedPipeline fitted = pipeline.fit(training)) {
      progress.finish();
      double seconds = (System.nanoTime() - t0) / 1e9;
      Path bundle = out.resolve("model");
      fitted.save(bundle);
      Map<String, String> s = fitted.provenance().trainingSummary();
      PrintWriter o = spec.commandLine().getOut();
      o.printf(Locale.ROOT, "pretrained a %s encoder (%,d parameters) on %,d sequences (%,d events), %s epochs%s in %.1f s: %s events/s, last loss %.4f%n",
          size, Long.parseLong(s.get("parameters")), Long.parseLong(s.get("sequences")), Long.parseLong(s.get("events")),
          s.get("epochs"), s.get("epochs-resumed").equals("0") ? "" : " (" + s.get("epochs-resumed") + " resumed from the checkpoint)",
          seconds, s.get("events-per-second"), Double.parseDouble(s.get("last-epoch-loss")));
      o.printf("checkpoint: %s (run the same command again to resume or extend with --epochs)%n", out.resolve("encoder.ckpt"));
      o.printf("bundle:     %s%n", bundle);
      o.printf("fine-tune or adapt: seqwatch train --detector masked-transformer --set pretrained=%s ...%n", out);
      o.flush();
    }
    return ExitCodes.OK;
  }
}
