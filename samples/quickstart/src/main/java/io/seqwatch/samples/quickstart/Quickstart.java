package io.seqwatch.samples.quickstart;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's embedding example: read a Taobao log, train an isolation forest on it, save the
 * model, and print the users it flags with their reasons. The lines between the README markers are
 * copied into README.md verbatim; a test keeps the two equal.
 *
 * <p>Thread-safety: a program, main thread only.
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Runs the example.
   *
   * @param log a Taobao UserBehavior CSV
   * @param modelDir where the model bundle goes
   * @param out where flagged users are printed
   * @return the scores of all users
   */
  public static List<Score> run(Path log, Path modelDir, PrintStream out) throws IOException {
    // README-BEGIN
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat("taobao").read(log, events::add, rejected -> out.println("rejected " + rejected));
    try (FittedPipeline model = Pipeline.builder().detector("isolation-forest").build().fitEvents(events)) {
      model.save(modelDir);
      List<Score> scores = model.scoreEvents(events);
      for (Score s : scores) {
        if (s.anomalous()) out.println(s.key() + " " + s.value() + " " + s.explanation().summary());
      }
      return scores;
    }
    // README-END
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Quickstart <taobao.csv> <model-dir>");
      System.exit(2);
    }
    run(Path.of(args[0]), Path.of(args[1]), System.out);
  }
}
