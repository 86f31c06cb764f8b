package io.seqwatch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.io.FeatureTable;
import io.seqwatch.core.io.FeatureTableReader;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format features} end to end on a real labelled table (ODDS cardio, 1,831 rows x 21
 * columns and a label column): the feature detectors fit the table as it is, rank the outliers,
 * and the bundle scores the same table to the same scores after a round trip.
 */
class FeatureTableTest {
  @TempDir Path tmp;

  private static FeatureTable cardio() throws IOException {
    Optional<Path> file = SharedData.file("odds/cardio.csv");
    assumeTrue(file.isPresent(), "../shared/data is absent; skipping the feature-table check");
    List<io.seqwatch.api.RejectedRecord> rejected = new ArrayList<>();
    FeatureTable t = FeatureTableReader.builder().build().read(file.get(), rejected::add);
    assertEquals(List.of(), rejected);
    return t;
  }

  private static boolean[] labels(Path file, FeatureTable t) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    boolean[] y = new boolean[t.rows().size()];
    for (int i = 0; i < y.length; i++) {
      // keys are line numbers: line 2 is the first row
      String line = lines.get(Integer.parseInt(t.rows().get(i).key()) - 1);
      y[i] = line.substring(line.lastIndexOf(',') + 1).strip().equals("1");
    }
    return y;
  }

  @Test
  void featureDetectorsRankTheOutliersOfARealTableAndTheBundleRoundTrips() throws IOException {
    FeatureTable t = cardio();
    assertEquals(21, t.schema().size());
    assertEquals(Optional.of("label"), t.labelColumn());
    boolean[] y = labels(SharedData.file("odds/cardio.csv").orElseThrow(), t);
    for (String detector : List.of("isolation-forest", "knn", "hbos")) {
      Path bundle = tmp.resolve(detector + ".zip");
      double[] scores;
      try (FittedPipeline p = Pipeline.builder().detector(detector).seed(7).build().fitTable(t)) {
        assertTrue(p.isTable());
        List<Score> s = p.scoreTable(t);
        scores = s.stream().mapToDouble(Score::value).toArray();
        // PyOD's published ROC-AUC on cardio (60/40 splits): IForest 0.92, KNN 0.72, HBOS 0.84
        double roc = Metrics.rocAuc(scores, y);
        assertTrue(roc > (detector.equals("knn") ? 0.65 : 0.8), detector + " ROC-AUC " + roc);
        assertTrue(s.stream().anyMatch(Score::anomalous), detector + " flagged nothing");
        assertTrue(s.get(0).explanation().summary().length() > 0, "no reasons");
        p.save(bundle);
      }
      try (FittedPipeline loaded = FittedPipeline.load(bundle)) {
        assertEquals(t.schema().names(), loaded.tableColumns());
        assertArrayEquals(scores, loaded.scoreTable(t).stream().mapToDouble(Score::value).toArray());
      }
    }
  }

  @Test
  void aTableWithOtherColumnsOrASequenceDetectorIsRefusedSayingWhy() throws IOException {
    FeatureSchema ab = new FeatureSchema(List.of("a", "b"));
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new FeatureVector("k" + i, ab, new double[] {i % 7, i % 5}));
    }
    FeatureTable table = FeatureTable.of(ab, rows);
    try (FittedPipeline p = Pipeline.builder().detector("zscore").build().fitTable(table)) {
      FeatureSchema ba = new FeatureSchema(List.of("b", "a"));
      FeatureTable swapped = FeatureTable.of(ba, rows.stream()
          .map(v -> new FeatureVector(v.key(), ba, new double[] {v.get(1), v.get(0)})).toList());
      assertArrayEquals(p.scoreTable(table).stream().mapToDouble(Score::value).toArray(),
          p.scoreTable(swapped).stream().mapToDouble(Score::value).toArray(), "columns are matched by name");
      FeatureSchema ac = new FeatureSchema(List.of("a", "c"));
      FeatureTable other = FeatureTable.of(ac, List.of(new FeatureVector("x", ac, new double[] {1, 2})));
      assertEquals("the feature table's columns do not match the model's: missing [b], not in the model [c]; "
          + "the model was trained on [a, b]",
          assertThrows(ConfigurationException.class, () -> p.scoreTable(other)).getMessage());
    }
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Pipeline.builder().detector("markov").build().fitTable(table));
    assertTrue(e.getMessage().startsWith("detector markov takes SEQUENCE input (event sequences), not a feature table"),
        e.getMessage());
  }
}
