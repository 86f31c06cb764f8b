package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.Contribution;
import io.seqwatch.core.eval.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequence models trained on a clean day against the forest (see {@link SequenceKindsTest}). */
class SequenceKindsCleanDayTest extends SequenceKindsTest {
  /**
   * Trained on a clean day (as DeepLog is trained on normal sessions), the lstm and the transformer
   * catch account takeovers and replayed sessions and rank above the forest trained and thresholded
   * the same way. (Before the behaviour features had {@code fast_gap_share} the forest missed half
   * the replays and nearly all scrapers here: a replay's machine pace averaged away; now it catches
   * them too, so the sequence models' edge is in ranking, not in kinds.)
   */
  @Test
  void sequenceModelsCatchTakeoversAndReplaysAndRankAboveTheFeatureForest() {
    EvaluationResult forest = run("isolation-forest, clean day", forest("quantile:0.99"), cleanDay);
    EvaluationResult lstm = run("lstm action+gap, clean day", nextEvent("lstm", "action+gap"), cleanDay);
    EvaluationResult transformer = run("transformer action+gap, clean day", nextEvent("transformer", "action+gap"),
        cleanDay);
    for (EvaluationResult r : List.of(lstm, transformer)) {
      assertTrue(recall(r, "account_takeover") >= 0.88, r.perKind().toString());
      assertTrue(recall(r, "replayed_session") >= 0.96, r.perKind().toString());
      assertTrue(r.fpr() <= 0.02, "FPR " + r.fpr());
      assertTrue(r.prAuc() > forest.prAuc(), "PR-AUC " + r.prAuc() + " vs the forest's " + forest.prAuc());
      assertTrue(recall(r, "replayed_session") >= recall(forest, "replayed_session")
          && recall(r, "account_takeover") >= recall(forest, "account_takeover"),
          "replays and takeovers " + r.perKind() + " vs the forest's " + forest.perKind());
    }
    assertTrue(forest.fpr() <= 0.02, "forest FPR " + forest.fpr());
    // the reason leads with the typical-set finding and names what the replay repeats
    Contribution first = replays.get("lstm action+gap, clean day").explanation().contributions().get(0);
    System.out.println("a replayed session: " + first.reason());
    assertEquals("typicality", first.name());
    assertTrue(first.reason().contains("more surprising than people") && first.reason().contains("@1-5s"), first.reason());
    // without the gap in the token the same lstm sees a person's actions and misses replays
    EvaluationResult actionsOnly = run("lstm action, clean day", nextEvent("lstm", "action"), cleanDay);
    assertTrue(recall(actionsOnly, "replayed_session") <= recall(lstm, "replayed_session") - 0.25,
        "action tokens " + actionsOnly.perKind() + " vs action+gap " + lstm.perKind());
  }
}
