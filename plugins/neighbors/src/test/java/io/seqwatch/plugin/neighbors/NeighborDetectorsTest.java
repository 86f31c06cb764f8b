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

  /**
   * A batch (the blocked float-screened scan above 15 dimensions, the tree below) returns exactly
   * the neighbours of single tree queries and of a full double-precision scan: the k smallest by
   * (squared distance, index), with the same distances to the last bit; duplicates, ties, points
   * beyond float's range and tiny scales included.
   */
  @Property(tries = 60)
  void batchQueriesMatchSingleQueriesExactly(@ForAll @LongRange(min = 0, max = 10_000) long seed,
      @ForAll @IntRange(min = 1, max = 2_500) int n, @ForAll @IntRange(min = 1, max = 40) int dims,
      @ForAll @IntRange(min = 1, max = 25) int k, @ForAll @IntRange(min = 0, max = 3) int scale) {
    Random r = new Random(seed);
    double unit = new double[] {1, 1e-20, 1e12, 1}[scale];
    double[][] pts = new double[n][dims];
    for (double[] p : pts) {
      for (int d = 0; d < dims; d++) {
        p[d] = unit * (r.nextInt(4) + (r.nextBoolean() ? r.nextGaussian() : 0)); // ties and duplicates
      }
    }
    if (scale == 3) {
      pts[r.nextInt(n)][r.nextInt(dims)] = 3e19; // past float's safe square: that block is scanned exactly
    }
    double[][] queries = new double[Math.min(n, 300)][];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = i % 3 == 0 ? pts[r.nextInt(n)].clone() : r.doubles(dims).map(v -> unit * 4 * v).toArray();
    }
    NeighborIndex index = new NeighborIndex(pts);
    NeighborIndex.Result[] batch = index.nearest(queries, k, false);
    for (int i = 0; i < queries.length; i++) {
      NeighborIndex.Result single = index.nearest(queries[i], k, -1);
      assertArrayEquals(single.indices(), batch[i].indices(), "query " + i);
      assertArrayEquals(single.distances(), batch[i].distances(), 0.0, "query " + i);
      assertArrayEquals(fullScan(pts, queries[i], k, -1), batch[i].indices(), "query " + i);
    }
    NeighborIndex.Result[] self = index.nearest(pts, k, true);
    for (int i = 0; i < n; i += Math.max(1, n / 50)) {
      assertArrayEquals(fullScan(pts, pts[i], k, i), self[i].indices(), "point " + i);
      assertArrayEquals(index.nearest(pts[i], k, i).distances(), self[i].distances(), 0.0, "point " + i);
    }
  }

  /** The k smallest (squared distance, index) pairs of a full scan, by index. */
  private static int[] fullScan(double[][] pts, double[] q, int k, int exclude) {
    return java.util.stream.IntStream.range(0, pts.length).filter(i -> i != exclude).boxed()
        .sorted(java.util.Comparator.<Integer>comparingDouble(i -> NeighborIndex.distance2(pts[i], q))
            .thenComparingInt(i -> i))
        .limit(k).mapToInt(Integer::intValue).toArray();
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
