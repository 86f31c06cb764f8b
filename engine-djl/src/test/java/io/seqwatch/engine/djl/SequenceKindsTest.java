package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Contribution;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.EvaluationResult;
import io.seqwatch.core.eval.Evaluator;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-kind recall on simulated shop traffic: the next-event models, trained on a clean day (as
 * DeepLog is trained on normal sessions) over action+gap tokens and scored with the typical-set
 * test, catch account takeovers and replayed sessions; the feature-based isolation forest, trained
 * and thresholded the same way, misses most replays (and the scrapers and click bots) at the same
 * false-positive budget. Thresholds: the 99th percentile of the training scores.
 */
class SequenceKindsTest {
  private static List<BehaviorEvent> cleanDay;
  private static SimulatedData test;

  @BeforeAll
  static void data() {
    cleanDay = Simulator.builder().users(3000).anomalyRate(0).seed(12).build().generate().events();
    test = Simulator.builder().users(3000).anomalyRate(0.05).seed(11).build().generate();
  }

  private static final Map<String, Score> replayScores = new java.util.HashMap<>();

  private static EvaluationResult evaluate(String detector, Map<String, String> options, String token) {
    Pipeline.Builder b = Pipeline.builder().detector(detector).options(options).threshold("quantile:0.99");
    if (token != null) {
      b.representationOption("token", token);
    }
    try (FittedPipeline f = b.build().fitEvents(cleanDay)) {
      List<Score> s = f.scoreEvents(test.events());
      List<String> keys = new ArrayList<>();
      double[] v = new double[s.size()];
      boolean[] flagged = new boolean[s.size()];
      for (int i = 0; i < v.length; i++) {
        keys.add(s.get(i).key());
        v[i] = s.get(i).value();
        flagged[i] = s.get(i).anomalous();
        if (test.labels().kind(keys.get(i)).filter("replayed_session"::equals).isPresent()) {
          replayScores.putIfAbsent(detector + " " + token, s.get(i));
        }
      }
      EvaluationResult r = Evaluator.evaluate(keys, v, flagged, test.labels());
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-17s %-10s ROC-AUC %.3f PR-AUC %.3f FPR %.4f |",
          detector, token == null ? "features" : token, r.rocAuc(), r.prAuc(), r.fpr()));
      r.perKind().forEach((k, c) -> line.append(String.format(Locale.ROOT, " %s %.2f", k, c.recall())));
      System.out.println(line);
      return r;
    }
  }

  private static double recall(EvaluationResult r, String kind) {
    return r.perKind().get(kind).recall();
  }

  @Test
  void sequenceModelsCatchTakeoversAndReplaysThatTheFeatureForestMisses() {
    Map<String, String> nextEvent = Map.of("aggregate", "typicality", "epochs", "5", "device", "cpu");
    EvaluationResult forest = evaluate("isolation-forest", Map.of(), null);
    EvaluationResult lstm = evaluate("lstm", nextEvent, "action+gap");
    EvaluationResult transformer = evaluate("transformer", nextEvent, "action+gap");
    for (EvaluationResult r : List.of(lstm, transformer)) {
      assertTrue(recall(r, "account_takeover") >= 0.88, r.perKind().toString());
      assertTrue(recall(r, "replayed_session") >= 0.96, r.perKind().toString());
      assertTrue(r.fpr() <= 0.02, "FPR " + r.fpr());
      assertTrue(r.prAuc() > forest.prAuc(), "PR-AUC " + r.prAuc() + " vs the forest's " + forest.prAuc());
      // a replay repeats a person's actions at machine pace: the features average the pace away
      assertTrue(recall(r, "replayed_session") >= recall(forest, "replayed_session") + 0.25,
          "replays " + r.perKind() + " vs the forest's " + forest.perKind());
    }
    assertTrue(forest.fpr() <= 0.02, "forest FPR " + forest.fpr());
    // the reason leads with the typical-set finding and names what the replay repeats
    Contribution first = replayScores.get("lstm action+gap").explanation().contributions().get(0);
    System.out.println("a replayed session: " + first.reason());
    assertEquals("typicality", first.name());
    assertTrue(first.reason().contains("more surprising than people") && first.reason().contains("@1-5s"), first.reason());
    // without the gap in the token the same lstm sees a person's actions and misses replays
    EvaluationResult actionsOnly = evaluate("lstm", nextEvent, "action");
    assertTrue(recall(actionsOnly, "replayed_session") <= recall(lstm, "replayed_session") - 0.25,
        "action tokens " + actionsOnly.perKind() + " vs action+gap " + lstm.perKind());
  }
}
