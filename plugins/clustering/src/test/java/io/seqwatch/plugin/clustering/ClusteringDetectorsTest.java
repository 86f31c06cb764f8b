package io.seqwatch.plugin.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusteringDetectorsTest {
  private static final FeatureSchema XY = new FeatureSchema(List.of("x", "y"));

  private static Model fit(DetectorProvider p, Map<String, String> o, double[][] rows) {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      obs.add(Observation.of(new FeatureVector("p" + i, XY, rows[i])));
    }
    return p.create(Options.of(p.options(), o)).fit(TrainingSet.of(obs, 7));
  }

  private static double score(Model m, double x, double y) {
    return m.score(Observation.of(new FeatureVector("q", XY, new double[] {x, y})));
  }

  private static double[][] threeBlobs() {
    Random r = new Random(5);
    double[][] rows = new double[600][];
    double[][] centers = {{0, 0}, {10, 0}, {0, 10}};
    for (int i = 0; i < rows.length; i++) {
      double[] c = centers[i % 3];
      rows[i] = new double[] {c[0] + r.nextGaussian() * 0.5, c[1] + r.nextGaussian() * 0.5};
    }
    return rows;
  }

  @Test
  void kmeansFindsTheBlobsSoTheirCentresScoreLow() {
    Model m = fit(new KMeansDetectorProvider(), Map.of("k", "3"), threeBlobs());
    for (double[] c : new double[][] {{0, 0}, {10, 0}, {0, 10}}) {
      assertTrue(score(m, c[0], c[1]) < 0.1, "centre " + c[0] + "," + c[1] + ": " + score(m, c[0], c[1]));
    }
    assertTrue(score(m, 5, 5) > 1);
    assertEquals("3", m.provenance().trainingSummary().get("k"));
  }

  @Test
  void dbscanNoiseScoresAboveOneAndMembersBelow() {
    Model m = fit(new DbscanDetectorProvider(), Map.of("min-samples", "5"), threeBlobs());
    assertTrue(score(m, 0, 0) <= 1, "member " + score(m, 0, 0));
    assertTrue(score(m, 5, 5) > 1, "noise " + score(m, 5, 5));
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> fit(new DbscanDetectorProvider(), Map.of("eps", "0.0001", "min-samples", "50"), threeBlobs()));
    assertTrue(e.getMessage().startsWith("dbscan found no core point with eps=1.0E-4 and min-samples=50"), e.getMessage());
  }
}
