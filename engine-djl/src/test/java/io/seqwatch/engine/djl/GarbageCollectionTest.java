package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.Simulator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * DJL fits do not depend on when the garbage collector runs. A thread allocating without pause keeps
 * young collections (and with them the freeing of direct buffers) going all through training; each
 * model must train at its first learning rate and score bit for bit as it does without that thread.
 * Before training code used engine-owned scalars ({@link DjlRuntime#scalar}) the transformer diverged
 * at every learning rate tried under this load, and the autoencoder's loss read a freed one-half.
 */
class GarbageCollectionTest {
  private static final List<BehaviorEvent> EVENTS =
      Simulator.builder().users(400).anomalyRate(0.05).seed(12).build().generate().events();

  @Test
  void modelsTrainAndScoreTheSameWhileCollectionsRunThroughout() {
    for (Map.Entry<String, Map<String, String>> d : Map.of(
        "transformer", Map.of("epochs", "2", "learning-rate", "0.002", "device", "cpu"),
        "autoencoder", Map.of("epochs", "3", "device", "cpu"),
        "gan", Map.of("epochs", "3", "device", "cpu")).entrySet()) {
      Supplier<String> fit = () -> {
        try (FittedPipeline f = Pipeline.builder().detector(d.getKey()).options(d.getValue()).seed(3).build()
            .fitEvents(EVENTS)) {
          long h = 17;
          for (Score s : f.scoreEvents(EVENTS)) {
            h = h * 31 + Double.doubleToLongBits(s.value());
          }
          return f.provenance().trainingSummary().getOrDefault("learning-rate", "-") + " " + Long.toHexString(h);
        }
      };
      String quiet = fit.get();
      if (d.getKey().equals("transformer")) { // no NaN loss, so no retry at a lower rate
        assertEquals("0.002", quiet.substring(0, quiet.indexOf(' ')), "the transformer's learning rate");
      }
      Thread churn = new Thread(GarbageCollectionTest::allocate, "allocation-churn");
      churn.setDaemon(true);
      churn.start();
      try {
        assertEquals(quiet, fit.get(), d.getKey() + " while collections run");
      } finally {
        churn.interrupt();
      }
    }
  }

  /** Allocates short-lived arrays until interrupted: a young collection every few milliseconds. */
  private static void allocate() {
    byte[][] junk = new byte[64][];
    while (!Thread.currentThread().isInterrupted()) {
      for (int j = 0; j < junk.length; j++) {
        junk[j] = new byte[1 << 16];
      }
    }
  }
}
