package io.seqwatch.plugin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StatsDetectorsTest {
  private static final FeatureSchema SCHEMA = new FeatureSchema(List.of("a", "b"));

  private static Model fit(DetectorProvider p, Map<String, String> options, double[][] rows) {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      obs.add(Observation.of(new FeatureVector("k" + i, SCHEMA, rows[i])));
    }
    return p.create(Options.of(p.options(), options)).fit(TrainingSet.of(obs, 1));
  }

  private static double score(Model m, double a, double b) {
    return m.score(Observation.of(new FeatureVector("x", SCHEMA, new double[] {a, b})));
  }

  private static final double[][] TRAIN = {{1, 10}, {2, 10}, {3, 10}, {4, 10}, {5, 10}};

  @Test
  void zscoreMatchesHandComputation() {
    Model m = fit(new ZScoreDetectorProvider(), Map.of("aggregate", "max"), TRAIN);
    // mean 3, population std sqrt(2); b is constant: any change scores at the clip
    assertEquals(Math.abs(7 - 3) / Math.sqrt(2), score(m, 7, 10), 1e-12);
    assertEquals(50, score(m, 3, 11), 1e-12);
  }

  @Test
  void madAndIqrAreRobustToOneOutlierInTraining() {
    double[][] dirty = {{1, 10}, {2, 10}, {3, 10}, {4, 10}, {1000, 10}};
    Model mad = fit(new MadDetectorProvider(), Map.of("aggregate", "max"), dirty);
    Model z = fit(new ZScoreDetectorProvider(), Map.of("aggregate", "max"), dirty);
    assertTrue(score(mad, 20, 10) > 5, "mad flags 20");
    assertTrue(score(z, 20, 10) < 1, "zscore is fooled by the outlier");
    Model iqr = fit(new IqrDetectorProvider(), Map.of(), TRAIN);
    // Q1 2, Q3 4, IQR 2: fences [-1, 7]; 11 is 4 beyond = 2 IQRs
    assertEquals(2.0, score(iqr, 11, 10), 1e-12);
    assertEquals(0.0, score(iqr, 6.9, 10), 1e-12);
  }

  @Test
  void hbosScoresEmptyBinsAboveDenseOnes() {
    double[][] rows = new double[100][];
    for (int i = 0; i < 100; i++) {
      rows[i] = new double[] {i < 95 ? i % 5 : 50 + i, 1};
    }
    Model m = fit(new HbosDetectorProvider(), Map.of("bins", "10"), rows);
    assertTrue(score(m, 2, 1) < score(m, 40, 1));
    assertEquals(-Math.log(0.1 / 1.1) * 2, score(m, 500, 2), 1e-12); // far outside on both features
  }

  @Property(tries = 100)
  void scoresAreFiniteOnAnyInput(@ForAll @Size(min = 2, max = 30) List<@DoubleRange(min = -1e6, max = 1e6) Double> a,
      @ForAll @DoubleRange(min = -1e9, max = 1e9) double x, @ForAll @DoubleRange(min = -1e9, max = 1e9) double y) {
    double[][] rows = new double[a.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[] {a.get(i), a.get(rows.length - 1 - i)};
    }
    for (DetectorProvider p : List.of(new ZScoreDetectorProvider(), new MadDetectorProvider(),
        new IqrDetectorProvider(), new HbosDetectorProvider())) {
      Model m = fit(p, Map.of(), rows);
      double s = score(m, x, y);
      assertTrue(Double.isFinite(s) && s >= 0, p.name() + " score " + s);
    }
  }
}
