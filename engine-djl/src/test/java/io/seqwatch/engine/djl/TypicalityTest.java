package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code aggregate=typicality} on simulated shop traffic: bots are more predictable than people, so
 * the largest per-event NLL ranks them low; the two-sided typical-set score ranks them high.
 */
class TypicalityTest {
  @Test
  void typicalityRanksPredictableBotsThatTheLargestNllMisses() {
    SimulatedData d = Simulator.builder().users(1500).anomalyRate(0.05).seed(11).build().generate();
    Map<String, String> small = Map.of("hidden", "32", "layers", "1", "epochs", "3", "device", "cpu");
    double max = rocAndBotRecall(d, small, "max")[0];
    double[] typical = rocAndBotRecall(d, small, "typicality");
    System.out.printf("lstm on simulated shop traffic: ROC-AUC max %.3f, typicality %.3f; click-bot recall %.2f%n",
        max, typical[0], typical[1]);
    assertTrue(typical[0] > max + 0.1, "typicality " + typical[0] + " vs max " + max);
    assertTrue(typical[1] >= 0.9, "click-bot recall " + typical[1]);
  }

  @Test
  void theSequenceAutoencoderRanksBotsTooEasyToReconstructHighUnderTypicality() {
    SimulatedData d = Simulator.builder().users(1500).anomalyRate(0.05).seed(11).build().generate();
    Map<String, String> small = Map.of("hidden", "16", "epochs", "3", "device", "cpu");
    double max = rocAndBotRecall("lstm-autoencoder", d, small, "max")[0];
    double typical = rocAndBotRecall("lstm-autoencoder", d, small, "typicality")[0];
    System.out.printf("lstm-autoencoder on simulated shop traffic: ROC-AUC max %.3f, typicality %.3f%n", max, typical);
    assertTrue(typical > max + 0.1, "typicality " + typical + " vs max " + max);
  }

  /** ROC-AUC over all users and the recall of click bots at contamination 0.05. */
  private static double[] rocAndBotRecall(SimulatedData d, Map<String, String> options, String aggregate) {
    return rocAndBotRecall("lstm", d, options, aggregate);
  }

  private static double[] rocAndBotRecall(String detector, SimulatedData d, Map<String, String> options,
      String aggregate) {
    // action tokens: the claim is about the aggregate, not about the pace that action+gap tokens add
    try (FittedPipeline f = Pipeline.builder().detector(detector).options(options).option("aggregate", aggregate)
        .representationOption("token", "action").threshold("contamination:0.05").build().fitEvents(d.events())) {
      List<Score> s = f.scoreEvents(d.events());
      double[] v = new double[s.size()];
      boolean[] y = new boolean[s.size()];
      int bots = 0;
      int caught = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = s.get(i).value();
        y[i] = d.labels().label(s.get(i).key()).orElse(false);
        if (d.labels().kind(s.get(i).key()).filter("click_bot"::equals).isPresent()) {
          bots++;
          caught += s.get(i).anomalous() ? 1 : 0;
        }
      }
      return new double[] {Metrics.rocAuc(v, y), bots == 0 ? 0 : (double) caught / bots};
    }
  }
}
