package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervised classifier on labelled simulated traffic: it learns what the labels mark. */
class ClassifierTest {
  @TempDir Path tmp;

  @Test
  void learnsTheLabelledKindsRoundTripsAndExplains() throws IOException {
    SimulatedData d = Simulator.builder().users(800).anomalyRate(0.1).seed(21).build().generate();
    Pipeline p = Pipeline.builder().detector("classifier").option("epochs", "8").option("device", "cpu")
        .threshold("fixed:0.5").build();
    List<BehaviorSequence> train = new ArrayList<>();
    List<BehaviorSequence> test = new ArrayList<>();
    for (BehaviorSequence s : p.sequences(d.events())) {
      (Math.floorMod(s.key().hashCode(), 2) == 0 ? train : test).add(s);
    }
    ConfigurationException none = assertThrows(ConfigurationException.class, () -> p.fit(train));
    assertEquals("detector classifier is supervised and needs labels for its training data", none.getMessage());
    try (FittedPipeline f = p.fit(train, List.of(), d.labels())) {
      List<Score> scores = f.score(test);
      double[] s = scores.stream().mapToDouble(Score::value).toArray();
      boolean[] y = new boolean[s.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = d.labels().label(scores.get(i).key()).orElseThrow();
        assertTrue(s[i] >= 0 && s[i] <= 1, "a probability: " + s[i]);
      }
      double auc = Metrics.rocAuc(s, y);
      System.out.printf("classifier on simulated traffic: ROC-AUC %.3f, PR-AUC %.3f%n", auc, Metrics.averagePrecision(s, y));
      assertTrue(auc > 0.9, "ROC-AUC " + auc);
      Score top = scores.stream().max(java.util.Comparator.comparingDouble(Score::value)).orElseThrow();
      assertFalse(top.explanation().contributions().isEmpty(), "occlusion reasons");
      assertTrue(top.explanation().summary().contains("without it the anomaly probability falls from"),
          top.explanation().summary());
      f.save(tmp.resolve("m"));
      try (FittedPipeline back = FittedPipeline.load(tmp.resolve("m"))) {
        assertArrayEquals(s, back.score(test).stream().mapToDouble(Score::value).toArray());
      }
    }
  }

  @Test
  void equalSeedsGiveEqualModelsWhateverDrewFromTheEnginesGeneratorInBetween() {
    SimulatedData d = Simulator.builder().users(300).anomalyRate(0.1).seed(22).build().generate();
    Pipeline p = Pipeline.builder().detector("classifier").option("epochs", "2").option("device", "cpu")
        .seed(4).build();
    List<BehaviorSequence> all = p.sequences(d.events());
    double[] first;
    try (FittedPipeline f = p.fit(all, List.of(), d.labels())) {
      first = f.score(all).stream().mapToDouble(Score::value).toArray();
    }
    DjlContractTest.disturbEngineGenerator();
    try (FittedPipeline f = p.fit(all, List.of(), d.labels())) {
      assertArrayEquals(first, f.score(all).stream().mapToDouble(Score::value).toArray());
    }
  }
}
