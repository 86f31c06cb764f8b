package io.seqwatch.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The contract every {@link ThresholdPolicyProvider} keeps, on random score sets (a body of usual
 * scores, a tail of high ones, repeats): a threshold is a number, not NaN; the same scores give the
 * same threshold, in any order (unless the policy declares itself a one-pass estimator); and raising
 * every score never lowers it (monotone). Extend it once
 * per policy:
 *
 * <pre>{@code
 * class QuantileContractTest extends ThresholdPolicyContractTest {
 *   protected ThresholdPolicyProvider provider() { return new QuantileThresholdProvider(); }
 *   protected Map<String, String> options() { return Map.of("q", "0.95"); }
 * }
 * }</pre>
 *
 * <p>Thread-safety: a test class; jqwik runs its properties one at a time.
 */
public abstract class ThresholdPolicyContractTest {
  /** The provider under test. */
  protected abstract ThresholdPolicyProvider provider();

  /** Options for the policy (its defaults when empty). */
  protected Map<String, String> options() {
    return Map.of();
  }

  /**
   * Whether the threshold is the same whatever the order of the scores (false for a one-pass
   * estimator that sees scores as they come, as a streaming quantile does).
   */
  protected boolean orderFree() {
    return true;
  }

  /** Whether the policy calibrates on labelled validation scores (max-F1, target FPR). */
  protected boolean needsLabels() {
    return false;
  }

  private ThresholdPolicy policy() {
    ThresholdPolicyProvider p = provider();
    return p.create(Options.of(p.options(), options()));
  }

  /** Training scores, and labelled validation scores when the policy needs them (both classes present). */
  private CalibrationData data(double[] training, long seed, double shift) {
    double[] t = training.clone();
    for (int i = 0; i < t.length; i++) {
      t[i] += shift;
    }
    ThresholdPolicy policy = policy();
    CalibrationData d;
    if (needsLabels()) {
      Random r = new Random(seed);
      int n = 50 + r.nextInt(150);
      double[] v = new double[n];
      boolean[] y = new boolean[n];
      for (int i = 0; i < n; i++) {
        y[i] = i < Math.max(2, n / 10);
        v[i] = (y[i] ? 3 + r.nextGaussian() : r.nextGaussian()) + shift;
      }
      d = CalibrationData.of(t, v, y);
    } else {
      d = CalibrationData.of(t);
    }
    if (policy.segmentation().isPresent()) { // two segments of random sizes
      Random r = new Random(seed ^ 0x5E6L);
      List<String> segments = new ArrayList<>();
      for (int i = 0; i < t.length; i++) {
        segments.add(r.nextBoolean() ? "a" : "b");
      }
      List<String> validation = new ArrayList<>();
      if (d.validationScores().isPresent()) {
        for (int i = 0; i < d.validationScores().get().length; i++) {
          validation.add(r.nextBoolean() ? "a" : "b");
        }
      }
      d = d.withSegments(segments, validation);
    }
    return d;
  }

  /** 20-400 scores: a normal body, one in ten far out, some repeated. */
  private static double[] scores(long seed, int n) {
    Random r = new Random(seed);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = i > 0 && r.nextInt(8) == 0 ? s[r.nextInt(i)]
          : r.nextInt(10) == 0 ? 4 + Math.abs(r.nextGaussian()) * 3 : r.nextGaussian();
    }
    return s;
  }

  @Property(tries = 40)
  void theSameScoresGiveTheSameNumberInAnyOrder(@ForAll long seed, @ForAll @IntRange(min = 20, max = 400) int n) {
    double[] s = scores(seed, n);
    Threshold a = policy().calibrate(data(s, seed, 0));
    assertFalse(Double.isNaN(a.value()), a.toString());
    assertFalse(a.policy().isBlank(), "a threshold names the policy that made it");
    assertEquals(a.value(), policy().calibrate(data(s, seed, 0)).value(), 0.0, "the same scores, again");
    List<Double> shuffled = new ArrayList<>();
    for (double v : s) {
      shuffled.add(v);
    }
    Collections.shuffle(shuffled, new Random(seed));
    double[] t = shuffled.stream().mapToDouble(Double::doubleValue).toArray();
    if (orderFree() && policy().segmentation().isEmpty()) { // segments follow positions
      assertEquals(a.value(), policy().calibrate(data(t, seed, 0)).value(), 1e-9 * (1 + Math.abs(a.value())),
          "the same scores in another order: " + Arrays.toString(Arrays.copyOf(s, Math.min(5, n))) + "...");
    }
  }

  @Property(tries = 40)
  void raisingEveryScoreNeverLowersTheThreshold(@ForAll long seed, @ForAll @IntRange(min = 20, max = 400) int n,
      @ForAll @DoubleRange(min = 0, max = 10) double shift) {
    double[] s = scores(seed, n);
    double low = policy().calibrate(data(s, seed, 0)).value();
    double high = policy().calibrate(data(s, seed, shift)).value();
    assertTrue(high >= low - 1e-9 * (1 + Math.abs(low)), "scores raised by " + shift + ": " + low + " -> " + high);
  }
}
