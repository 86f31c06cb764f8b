package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A non-finite loss never becomes a model: the guard retries at lower learning rates, and when
 * every attempt diverges training ends with one clear message instead of NaN scores or a stack
 * trace from the threshold.
 */
class DivergenceTest {
  @Test
  void aDivergingAttemptIsRetriedAtATenthOfTheLearningRate() {
    List<Float> rates = new ArrayList<>();
    String model = DivergenceGuard.train("test", 1f, rate -> {
      rates.add(rate);
      DivergenceGuard.check(rate > 0.05f ? Double.NaN : 0.3, 1);
      return "trained at " + rate;
    });
    assertEquals(List.of(1f, 0.1f, 0.01f), rates);
    assertEquals("trained at 0.01", model);
  }

  @Test
  void whenEveryAttemptDivergesTheMessageNamesTheRatesAndTheFix() {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> DivergenceGuard.train("gru", 0.5f, rate -> {
      DivergenceGuard.check(Double.POSITIVE_INFINITY, 2);
      return rate;
    }));
    assertEquals("gru: training diverged at every learning rate tried: 0.500 (loss Infinity in epoch 2), "
        + "0.0500 (loss Infinity in epoch 2), 0.00500 (loss Infinity in epoch 2). Lower it (--set learning-rate=0.000500), "
        + "or look for extreme values in the input; no model was saved", e.getMessage());
  }

  @Test
  void anAbsurdLearningRateEndsWithTheClearMessageNotNanScores() {
    SimulatedData data = Simulator.builder().users(150).anomalyRate(0.05).seed(3).build().generate();
    Pipeline p = Pipeline.builder().detector("autoencoder").option("learning-rate", "1e12").option("epochs", "3")
        .option("device", "cpu").seed(1).build();
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> p.fitEvents(data.events()));
    assertTrue(e.getMessage().startsWith("autoencoder: training diverged at every learning rate tried: 1.00e+12 (loss "),
        e.getMessage());
    assertTrue(e.getMessage().contains("Lower it (--set learning-rate=1.00e+09)"), e.getMessage());
  }
}
