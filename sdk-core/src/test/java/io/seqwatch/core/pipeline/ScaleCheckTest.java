package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.FeatureTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A held-out threshold must not land just below a tied score level of the final model and flag a
 * whole level: the pipeline refits it on the model's own scores and says so.
 */
class ScaleCheckTest {
  @ParameterizedTest
  @ValueSource(ints = {1_000, 3_000}) // five-fold cross-fitting, and one held-out fifth
  void aThresholdBelowATiedLevelOfTheFinalModelIsRefittedOnItsOwnScores(int n) {
    FeatureSchema schema = new FeatureSchema(List.of("x"));
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new FeatureVector("k" + i, schema, new double[] {i}));
    }
    FeatureTable table = FeatureTable.of(schema, rows);
    try (FittedPipeline p = Pipeline.builder().detector("test-levels").threshold("evt:0.01").build().fitTable(table)) {
      // held-out models fitted on 4/5 of the rows put the upper level at 2 (1 + 0.8 n / 1000), the final one higher
      List<Score> s = p.scoreTable(table);
      long flagged = s.stream().filter(Score::anomalous).count();
      assertEquals(0, flagged, "the upper level holds half the training rows; flagging it is not a 1 % risk");
      String note = p.threshold().details().get("scale_check");
      assertTrue(note != null && note.contains("flagged 50.0 % of the training sequences; refitted on the model's own "
          + "scores"), String.valueOf(p.threshold().details()));
      assertTrue(p.threshold().value() >= 2 * (1 + n / 1000.0), "threshold " + p.threshold().value());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"evt:0.01", "alert-rate:0.3"})
  void aThresholdThatFlagsWhatItShouldIsLeftAlone(String policy) {
    FeatureSchema schema = new FeatureSchema(List.of("x"));
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(new FeatureVector("k" + i, schema, new double[] {Math.sin(i) * 10}));
    }
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").threshold(policy).build()
        .fitTable(FeatureTable.of(schema, rows))) {
      assertEquals(null, p.threshold().details().get("scale_check"), String.valueOf(p.threshold().details()));
    }
  }
}
