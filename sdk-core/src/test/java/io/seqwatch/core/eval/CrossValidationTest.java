package io.seqwatch.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossValidationTest {
  private static final SimulatedData DATA = Simulator.builder().users(300).anomalyRate(0.1).seed(11).build().generate();

  @Test
  void everyLabelledSequenceIsScoredOnceByAModelThatDidNotSeeIt() {
    Pipeline p = Pipeline.builder().detector("test-distance").seed(3).build();
    List<BehaviorSequence> s = p.sequences(DATA.events());
    Labels labels = DATA.labels();
    CrossValidation.Result r = CrossValidation.run(p, s, labels, 5, 7);
    assertEquals(5, r.folds().size());
    long anomalous = s.stream().filter(x -> labels.label(x.key()).orElse(false)).count();
    assertEquals(s.size(), r.pooled().sequences());
    assertEquals(anomalous, r.pooled().anomalous());
    assertEquals(s.size(), r.folds().stream().mapToInt(EvaluationResult::sequences).sum());
    for (EvaluationResult f : r.folds()) {
      // stratified: every fold holds its share of the anomalies (within one)
      assertTrue(Math.abs(f.anomalous() - anomalous / 5.0) <= 1, "fold with " + f.anomalous() + " anomalies");
    }
    double[] roc = r.meanAndSd(EvaluationResult::rocAuc);
    assertTrue(roc[0] > 0.8 && roc[1] >= 0, "fold ROC-AUC " + roc[0] + " +- " + roc[1]);
    CrossValidation.Result again = CrossValidation.run(p, s, labels, 5, 7);
    assertEquals(r.pooled(), again.pooled(), "equal seeds give equal folds and models");
  }

  @Test
  void tooFewFoldsOrAnomaliesAreRefusedSayingWhy() {
    Pipeline p = Pipeline.builder().detector("test-distance").build();
    List<BehaviorSequence> s = p.sequences(DATA.events());
    assertEquals("cross-validation needs at least 2 folds, got 1",
        assertThrows(ConfigurationException.class, () -> CrossValidation.run(p, s, DATA.labels(), 1, 1)).getMessage());
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> CrossValidation.run(p, s, DATA.labels(), 1000, 1));
    assertTrue(e.getMessage().startsWith("1000-fold cross-validation needs at least 1000 anomalous and 1000 normal"),
        e.getMessage());
  }
}
