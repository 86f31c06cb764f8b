package io.seqwatch.plugin.neighbors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.NeighborIndex;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class NeighborDetectorsTest {
  @Property(tries = 60)
  void kdTreeAgreesWithBruteForce(@ForAll @LongRange(min = 0, max = 10_000) long seed,
      @ForAll @IntRange(min = 1, max = 400) int n, @ForAll @IntRange(min = 1, max = 40) int dims,
      @ForAll @IntRange(min = 1, max = 12) int k) {
    Random r = new Random(seed);
    double[][] pts = new double[n][dims];
    for (double[] p : pts) {
      for (int d = 0; d < dims; d++) {
        p[d] = r.nextInt(5) + (r.nextBoolean() ? r.nextGaussian() : 0); // ties and duplicates
      }
    }
    NeighborIndex index = new NeighborIndex(pts);
    double[] q = new double[dims];
    for (int d = 0; d < dims; d++) {
      q[d] = r.nextGaussian() * 3;
    }
    double[] brute = Arrays.stream(pts).mapToDouble(p -> Math.sqrt(NeighborIndex.distance2(p, q))).sorted().toArray();
    NeighborIndex.Result res = index.nearest(q, k, -1);
    assertArrayEquals(Arrays.copyOf(brute, Math.min(k, n)), res.distances(), 1e-9);
    double radius = brute[Math.min(k, n) - 1] * (1 + 1e-12) + 1e-12; // clear of rounding in sqrt
    long within = Arrays.stream(brute).filter(x -> x <= radius).count();
    assertEquals(within, index.countWithin(q, radius, Integer.MAX_VALUE));
  }

  private static final FeatureSchema XY = new FeatureSchema(List.of("x", "y"));

  private static Model fit(DetectorProvider p, Map<String, String> o, double[][] rows) {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      obs.add(Observation.of(new FeatureVector("p" + i, XY, rows[i])));
    }
    return p.create(Options.of(p.options(), o)).fit(TrainingSet.of(obs, 1));
  }

  private static double score(Model m, double x, double y) {
    return m.score(Observation.of(new FeatureVector("q", XY, new double[] {x, y})));
  }

  @Test
  void lofIsAboutOneInsideAClusterAndHighOutsideAndRespectsDensity() {
    Random r = new Random(3);
    double[][] rows = new double[400][];
    for (int i = 0; i < 400; i++) {
      // a dense cluster and a sparse one
      rows[i] = i < 300 ? new double[] {r.nextGaussian() * 0.1, r.nextGaussian() * 0.1}
          : new double[] {5 + r.nextGaussian(), 5 + r.nextGaussian()};
    }
    Model lof = fit(new LofDetectorProvider(), Map.of("k", "10"), rows);
    double inside = score(lof, 0, 0);
    double sparseInside = score(lof, 5, 5);
    double nearDense = score(lof, 0.8, 0);
    assertTrue(inside < 1.3, "inside " + inside);
    assertTrue(sparseInside < 1.3, "inside the sparse cluster " + sparseInside);
    assertTrue(nearDense > 2, "just outside the dense cluster " + nearDense);
    Model knn = fit(new KnnDetectorProvider(), Map.of("k", "10"), rows);
    // knn sees only distance: the same point looks closer than a sparse-cluster member
    assertTrue(score(knn, 0.8, 0) < score(knn, 6.5, 6.5));
  }

  @Test
  void knnScalesToOneHundredThousandSequences() {
    Random r = new Random(1);
    double[][] rows = new double[100_000][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[] {r.nextGaussian(), r.nextGaussian()};
    }
    Model knn = fit(new KnnDetectorProvider(), Map.of("k", "5"), rows);
    double far = score(knn, 10, 10);
    double near = score(knn, 0, 0);
    assertTrue(far > 50 * near, "far " + far + " near " + near);
    assertEquals(100_000, Integer.parseInt(knn.provenance().trainingSummary().get("points")));
  }
}
