package io.seqwatch.engine.djl;


import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.EvaluationResult;
import io.seqwatch.core.eval.Evaluator;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * Per-kind recall on simulated shop traffic (3,000 users, 5 % anomalous of six kinds), thresholds at
 * the 99th percentile of the training scores. Next-event models over action+gap tokens, scored with
 * the typical-set test, against the feature-based isolation forest. The data and helpers; the
 * measurements are two classes (a clean training day, the unlabelled day), so that engine-djl's two
 * surefire JVMs can run them side by side.
 */
abstract class SequenceKindsTest {
  static final Map<String, String> NEXT_EVENT = Map.of("aggregate", "typicality", "epochs", "5", "device", "cpu");
  static List<BehaviorEvent> cleanDay;
  static SimulatedData day;
  /** The first replayed session's score, per run label. */
  static final Map<String, Score> replays = new HashMap<>();

  @BeforeAll
  static void data() {
    cleanDay = Simulator.builder().users(3000).anomalyRate(0).seed(12).build().generate().events();
    day = Simulator.builder().users(3000).anomalyRate(0.05).seed(11).build().generate();
  }

  static Pipeline.Builder nextEvent(String detector, String token) {
    return Pipeline.builder().detector(detector).options(NEXT_EVENT).representationOption("token", token)
        .threshold("quantile:0.99");
  }

  static Pipeline.Builder forest(String threshold) {
    return Pipeline.builder().detector("isolation-forest").threshold(threshold);
  }

  /** Trains on {@code training}, scores the day, prints and returns the evaluation. */
  static EvaluationResult run(String label, Pipeline.Builder b, List<BehaviorEvent> training) {
    try (FittedPipeline f = b.build().fitEvents(training)) {
      List<Score> s = f.scoreEvents(day.events());
      s.stream().filter(x -> day.labels().kind(x.key()).filter("replayed_session"::equals).isPresent()).findFirst()
          .ifPresent(x -> replays.put(label, x));
      EvaluationResult r = Evaluator.evaluate(s, day.labels());
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
          "%-44s ROC-AUC %.3f PR-AUC %.3f recall %.3f FPR %.4f |", label, r.rocAuc(), r.prAuc(), r.recall(), r.fpr()));
      r.perKind().forEach((k, c) -> line.append(String.format(Locale.ROOT, " %s %.2f", k, c.recall())));
      System.out.println(line);
      return r;
    }
  }

  static double recall(EvaluationResult r, String kind) {
    return r.perKind().get(kind).recall();
  }
}
