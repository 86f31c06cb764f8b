package io.seqwatch.core.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.registry.ProviderKind;
import io.seqwatch.core.registry.Registry;
import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ThresholdPoliciesTest {
  private static final Registry<ThresholdPolicyProvider> REG = Registry.load(ProviderKind.THRESHOLD);
  private static final io.seqwatch.core.registry.Registries PROVIDERS = io.seqwatch.core.registry.Registries.discover();

  private static Threshold calibrate(String spec, CalibrationData d) {
    return ThresholdSpec.parse(PROVIDERS, spec).calibrate(d);
  }

  private static double[] range(int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = i;
    }
    return d;
  }

  @Test
  void allPoliciesAreDiscovered() {
    assertEquals(List.of("alert-rate", "contamination", "evt", "fixed", "mad", "max-f1", "per-segment", "quantile",
        "streaming-quantile", "target-fpr"), REG.names());
  }

  @Test
  void evtExtrapolatesTheTailSoNewNormalDataIsFlaggedAtAboutTheRisk() {
    // calibrate on 2,000 exponential scores, measure on 200,000 new ones from the same law
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    double[] calib = new double[2_000];
    for (int i = 0; i < calib.length; i++) {
      calib[i] = -Math.log(1 - r.nextDouble());
    }
    for (double risk : new double[] {0.01, 0.001}) {
      Threshold t = calibrate("evt:" + risk, CalibrationData.of(calib));
      int over = 0;
      for (int i = 0; i < 200_000; i++) {
        over += -Math.log(1 - r.nextDouble()) > t.value() ? 1 : 0;
      }
      double rate = over / 200_000.0;
      assertTrue(rate > risk / 3 && rate < risk * 3, "risk " + risk + ": new normal data flagged at " + rate);
    }
    // on 50 scores the 0.001 tail lies beyond the largest: no training-like score is flagged
    double[] small = java.util.Arrays.copyOf(calib, 50);
    double max = java.util.Arrays.stream(small).max().orElseThrow();
    assertTrue(calibrate("evt:0.001", CalibrationData.of(small)).value() > max);
  }

  @Test
  void evtAndAlertRateNeverFlagTheTiedTopOfTheirOwnScoresAsAQuantileDoes() {
    double[] tied = new double[1_000];
    java.util.Arrays.fill(tied, 900, 1_000, 7.0); // the top 10 % tie exactly
    for (int i = 0; i < 900; i++) {
      tied[i] = i / 900.0;
    }
    Threshold evt = calibrate("evt:0.001", CalibrationData.of(tied));
    assertTrue(evt.value() >= 7.0, "evt " + evt.value());
    assertEquals(7.0, calibrate("alert-rate:0.05", CalibrationData.of(tied)).value(), 1e-12);
    assertTrue(calibrate("evt:0.01", CalibrationData.of(range(101))).value() >= 99, "at least the empirical 99th percentile");
  }

  @Test
  void evtTrimKeepsAbuseInTheTrainingDataFromLiftingTheThresholdAboveItself() {
    // 1,900 right-skewed normal scores (log-normal) and 100 attackers far out, as in unlabelled shop traffic
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    double[] calib = new double[2_000];
    for (int i = 0; i < calib.length; i++) {
      calib[i] = i < 1_900 ? Math.exp(0.5 * gaussian(r)) : 20 + 10 * r.nextDouble();
    }
    double untrimmed = calibrate("evt:0.005", CalibrationData.of(calib)).value();
    assertTrue(untrimmed > 20, "without a trim the tail is the attackers': " + untrimmed);
    for (String trim : new String[] {"skewed", "tukey"}) {
      Threshold t = calibrate("evt:0.005,trim=" + trim, CalibrationData.of(calib));
      assertTrue(t.value() < 20, trim + ": every attacker is above the threshold " + t.value());
      assertEquals("evt:0.005,trim=" + trim, t.policy());
      int over = 0;
      for (int i = 0; i < 100_000; i++) {
        over += Math.exp(0.5 * gaussian(r)) > t.value() ? 1 : 0;
      }
      assertTrue(over / 100_000.0 < 0.02, trim + ": new normal scores flagged at " + over / 100_000.0);
    }
    // the adjusted boxplot leaves a right-skewed normal tail more room than Tukey's inner fence
    double[] normal = java.util.Arrays.copyOf(calib, 1_900);
    java.util.Arrays.sort(normal);
    double q1 = io.seqwatch.spi.support.Quantiles.ofSorted(normal, 0.25);
    double q3 = io.seqwatch.spi.support.Quantiles.ofSorted(normal, 0.75);
    assertTrue(EvtThresholdProvider.Trim.SKEWED.fence(normal) > q3 + 1.5 * (q3 - q1));
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> calibrate("evt:0.01,trim=iqr",
        CalibrationData.of(calib)));
    assertEquals("evt option trim is 'iqr'; use none, tukey or skewed", e.getMessage());
  }

  @Test
  void aTrimmedTailNeverEndsAboveTheFenceThatTrimmedIt() {
    // 1,800 normal scores, 100 attackers just inside Tukey's outer fence and 100 beyond it: the tail
    // fitted to what the fence keeps is the near attackers', and would end above the fence itself
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    double[] calib = new double[2_000];
    for (int i = 0; i < calib.length; i++) {
      calib[i] = i < 1_800 ? 1 + 0.1 * gaussian(r) : i < 1_900 ? 1.4 + 0.14 * r.nextDouble() : 2 + 0.5 * r.nextDouble();
    }
    double[] sorted = calib.clone();
    java.util.Arrays.sort(sorted);
    double fence = EvtThresholdProvider.Trim.TUKEY.fence(sorted);
    Threshold t = calibrate("evt:0.0005,trim=tukey", CalibrationData.of(calib));
    assertEquals(fence, t.value(), 0.0);
    assertTrue(Double.parseDouble(t.details().get("capped_at_fence")) > fence, t.details().toString());
    // without attackers near the fence, the fitted tail stays below it and is not touched
    double[] clean = java.util.Arrays.copyOf(calib, 1_900);
    for (int i = 1_800; i < 1_900; i++) {
      clean[i] = 5 + r.nextDouble();
    }
    Threshold c = calibrate("evt:0.0005,trim=tukey", CalibrationData.of(clean));
    assertTrue(c.value() < 5 && !c.details().containsKey("capped_at_fence"), c.toString());
  }

  @Test
  void theSkewedFenceIsNeverWiderThanTukeysOuterFence() {
    // exponential scores: medcouple 1/3, so the adjusted boxplot alone would reach Q3 + 4.1 IQR
    double[] exp = new double[999];
    for (int i = 0; i < exp.length; i++) {
      exp[i] = -Math.log(1 - (i + 0.5) / exp.length);
    }
    double q1 = io.seqwatch.spi.support.Quantiles.ofSorted(exp, 0.25);
    double q3 = io.seqwatch.spi.support.Quantiles.ofSorted(exp, 0.75);
    assertEquals(q3 + 3 * (q3 - q1), EvtThresholdProvider.Trim.SKEWED.fence(exp), 1e-12);
    // mildly skewed scores keep the adjusted width, between Tukey's inner and outer fences
    double[] mild = new double[999];
    for (int i = 0; i < mild.length; i++) {
      mild[i] = Math.exp(0.3 * gaussianQuantile((i + 0.5) / mild.length));
    }
    double m1 = io.seqwatch.spi.support.Quantiles.ofSorted(mild, 0.25);
    double m3 = io.seqwatch.spi.support.Quantiles.ofSorted(mild, 0.75);
    double f = EvtThresholdProvider.Trim.SKEWED.fence(mild);
    assertTrue(f > m3 + 1.5 * (m3 - m1) && f < m3 + 3 * (m3 - m1), "fence " + f);
  }

  /** The standard normal quantile (Abramowitz and Stegun 26.2.23, error under 4.5e-4: enough here). */
  private static double gaussianQuantile(double p) {
    double q = p < 0.5 ? p : 1 - p;
    double t = Math.sqrt(-2 * Math.log(q));
    double z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    return p < 0.5 ? -z : z;
  }

  @Test
  void medcoupleIsZeroForSymmetricAndPositiveForRightSkewedScores() {
    assertEquals(0.0, EvtThresholdProvider.medcouple(range(101)), 1e-12);
    // 1, 2, 3, 10: median 2.5; pairs (1,3) (1,10) (2,3) (2,10): h = -1/2, 2/3, 0, 7/8 -> median 1/3
    assertEquals(1.0 / 3, EvtThresholdProvider.medcouple(new double[] {1, 2, 3, 10}), 1e-12);
    double[] exp = new double[999];
    for (int i = 0; i < exp.length; i++) {
      exp[i] = -Math.log(1 - (i + 0.5) / exp.length);
    }
    // the exponential law's medcouple is 1/3
    assertEquals(1.0 / 3, EvtThresholdProvider.medcouple(exp), 0.01);
  }

  @Test
  void thresholdSpecsTakeKeyValueOptionsAfterTheFirstValue() {
    CalibrationData d = CalibrationData.of(range(101));
    assertEquals(calibrate("evt:0.01", d).value(), calibrate("evt:risk=0.01,trim=none", d).value(), 0);
    ConfigurationException twice = assertThrows(ConfigurationException.class, () -> calibrate("evt:0.01,risk=0.02", d));
    assertEquals("threshold spec 'evt:0.01,risk=0.02' gives option risk twice", twice.getMessage());
    ConfigurationException bare = assertThrows(ConfigurationException.class, () -> calibrate("evt:0.01,skewed=", d));
    assertTrue(bare.getMessage().contains("skewed"), bare.getMessage());
  }

  private static double gaussian(java.util.SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  @Test
  void quantileContaminationFixedAndMad() {
    CalibrationData d = CalibrationData.of(range(101));
    assertEquals(95, calibrate("quantile:0.95", d).value(), 1e-9);
    assertEquals(90, calibrate("contamination:0.1", d).value(), 1e-9);
    assertEquals(0.7, calibrate("fixed:0.7", d).value());
    // median 50, MAD 25 -> 50 + 2 * 1.4826 * 25
    assertEquals(50 + 2 * 1.4826 * 25, calibrate("mad:2", d).value(), 1e-9);
    Threshold q = calibrate("quantile", d);
    assertEquals("quantile:0.99", q.policy());
    assertTrue(q.isAnomalous(100) && !q.isAnomalous(99));
  }

  @Test
  void madFallsBackWhenMostScoresTie() {
    double[] s = new double[100];
    s[99] = 10;
    Threshold t = calibrate("mad:3", CalibrationData.of(s));
    assertTrue(t.value() > 0 && t.value() < 10, "threshold " + t.value());
  }

  @Test
  void maxF1AndTargetFprUseValidationLabels() {
    double[] v = {0.1, 0.2, 0.3, 0.4, 0.9, 0.95, 0.35};
    boolean[] y = {false, false, false, false, true, true, true};
    CalibrationData d = CalibrationData.of(range(10), v, y);
    Threshold f1 = calibrate("max-f1", d);
    // flag > 0.3: {0.9, 0.95, 0.35, 0.4} -> tp 3 fp 1 -> F1 6/7; flag > 0.4: tp 2 -> F1 0.8
    assertEquals(0.3, f1.value(), 1e-12);
    assertEquals(6.0 / 7.0, Double.parseDouble(f1.details().get("validation_f1")), 1e-12);
    Threshold fpr = calibrate("target-fpr:0.25", d);
    // 4 normals, budget 1 false positive: the threshold is the 3rd smallest normal score
    assertEquals(0.3, fpr.value(), 1e-12);
    assertEquals(0.0, calibrate("target-fpr:0", d).value() - 0.4, 1e-12);
  }

  @Test
  void policiesThatNeedValidationSaySo() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> calibrate("max-f1", CalibrationData.of(range(5))));
    assertEquals("threshold policy max-f1 needs labelled validation data (--validation F --validation-labels L)", e.getMessage());
    ConfigurationException u = assertThrows(ConfigurationException.class, () -> calibrate("median", CalibrationData.of(range(5))));
    assertEquals("Unknown threshold policy 'median'. Found: alert-rate, contamination, evt, fixed, mad, max-f1, per-segment, "
        + "quantile, streaming-quantile, target-fpr.", u.getMessage());
    assertThrows(ConfigurationException.class, () -> calibrate("quantile:1.5", CalibrationData.of(range(5))));
  }

  @Property(tries = 200)
  void quantileThresholdIsMonotoneInQ(@ForAll @Size(min = 1, max = 50) List<@DoubleRange(min = -5, max = 5) Double> scores,
      @ForAll @DoubleRange(min = 0, max = 1) double q1, @ForAll @DoubleRange(min = 0, max = 1) double q2) {
    double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
    double lo = Math.min(q1, q2);
    double hi = Math.max(q1, q2);
    CalibrationData d = CalibrationData.of(s);
    assertTrue(calibrate("quantile:" + lo, d).value() <= calibrate("quantile:" + hi, d).value());
  }

  @Property(tries = 200)
  void targetFprIsRespected(@ForAll @Size(min = 2, max = 60) List<@DoubleRange(min = 0, max = 1) Double> scores,
      @ForAll @Size(min = 2, max = 60) List<Boolean> labels, @ForAll @DoubleRange(min = 0, max = 0.5) double rate) {
    int n = Math.min(scores.size(), labels.size());
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    int normals = 0;
    boolean pos = false;
    for (int i = 0; i < n; i++) {
      s[i] = scores.get(i);
      y[i] = labels.get(i);
      normals += y[i] ? 0 : 1;
      pos |= y[i];
    }
    if (normals == 0 || !pos) {
      return;
    }
    Threshold t = calibrate("target-fpr:" + rate, CalibrationData.of(new double[] {0}, s, y));
    int fp = 0;
    for (int i = 0; i < n; i++) {
      fp += !y[i] && t.isAnomalous(s[i]) ? 1 : 0;
    }
    assertTrue((double) fp / normals <= rate + 1e-9, "fpr " + (double) fp / normals + " > " + rate);
  }
}
