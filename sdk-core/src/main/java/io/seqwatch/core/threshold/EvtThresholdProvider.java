package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evt:<risk>}: peaks over threshold, as in SPOT (Siffer et al., KDD 2017). The scores above
 * an initial level (the 98th percentile, or the top 10 scores on small sets) are fitted with a
 * generalised Pareto tail (probability-weighted moments, Hosking and Wallis 1987), and the
 * threshold is the score that a new normal sequence exceeds with probability {@code risk}:
 * {@code t + sigma/xi ((risk n / N_t)^-xi - 1)}. It extrapolates beyond the largest score seen, so
 * a clean training set of any size gives a false-alarm rate near {@code risk} instead of the
 * fixed share a quantile flags. Calibrated on held-out scores (sequences the model did not fit),
 * so a model that memorises its training data is not trusted with its own scores.
 *
 * <p>Thread-safety: stateless.
 */
public final class EvtThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "evt";
  }

  @Override
  public String description() {
    return "extreme-value tail (peaks over threshold, generalised Pareto) of held-out scores; flags about risk of normal data";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("risk", 0.01, "probability that a normal sequence exceeds the threshold, in (0, 0.5)"),
        OptionSpec.ofString("trim", "none", "scores left out of the tail fit, so that abuse already in unlabelled "
            + "training data does not lift the threshold above itself: none, tukey (beyond Q3 + 3 IQR) or skewed "
            + "(beyond the adjusted boxplot's fence Q3 + 1.5 e^(3 MC) IQR, MC = medcouple, at most Q3 + 3 IQR); never "
            + "more than a quarter"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double risk = o.getDouble("risk", 1e-9, 0.5);
    Trim trim = Trim.parse(o.getString("trim"));
    return new ThresholdPolicy() {
      @Override
      public Threshold calibrate(io.seqwatch.spi.CalibrationData data) {
        double[] s = sortedTraining(data);
        double fence = trim.fence(s);
        double[] kept = normalPart(s, fence);
        String policy = "evt:" + risk + (trim == Trim.NONE ? "" : ",trim=" + trim.name().toLowerCase(Locale.ROOT));
        Threshold t = evt(kept, risk, policy);
        if (kept.length < s.length && t.value() > fence) {
          // the fence called everything above it abuse and left it out of the fit: a tail fitted to
          // what stayed (normal scores and the abuse that sits closer in) must not end above it
          Map<String, String> details = new java.util.LinkedHashMap<>(t.details());
          details.put("capped_at_fence", Double.toString(t.value()));
          return new Threshold(fence, policy, details);
        }
        return t;
      }

      @Override
      public boolean calibratesOnHeldOut() {
        return true;
      }
    };
  }

  /** Which far-out held-out scores the tail fit leaves out. */
  enum Trim {
    /** None. */
    NONE,
    /** Beyond Tukey's outer fence Q3 + 3 IQR. */
    TUKEY,
    /**
     * Beyond the adjusted boxplot's upper fence for skewed data (Hubert and Vandervieren 2008):
     * {@code Q3 + 1.5 e^(3 MC) IQR} when the medcouple MC is positive, {@code Q3 + 1.5 e^(4 MC) IQR}
     * otherwise, and never beyond Tukey's outer fence {@code Q3 + 3 IQR}. Right-skewed normal scores
     * (distances, likelihood ratios) get a wider fence than Tukey's inner one, so their own tail is
     * not cut.
     */
    SKEWED;

    /** Tukey's outer fence, in IQRs above Q3: the widest any trim goes. */
    static final double TUKEY_OUTER = 3;

    static Trim parse(String name) {
      for (Trim t : values()) {
        if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
          return t;
        }
      }
      throw new io.seqwatch.api.ConfigurationException("evt option trim is '" + name + "'; use none, tukey or skewed");
    }

    /** The score above which sorted scores are left out; infinite for NONE or when the quartiles tie. */
    double fence(double[] sorted) {
      if (this == NONE) {
        return Double.POSITIVE_INFINITY;
      }
      double q1 = Quantiles.ofSorted(sorted, 0.25);
      double q3 = Quantiles.ofSorted(sorted, 0.75);
      if (!(q3 > q1)) {
        return Double.POSITIVE_INFINITY;
      }
      double mc = this == TUKEY ? 0 : medcouple(sorted);
      // the skew adjustment widens the fence for right-skewed scores, but never past Tukey's outer
      // fence: a large point mass of tied scores (thousands of one-view sessions) can swing the
      // medcouple from 0.29 to 0.42 between samples of one log, and the fence with it, far enough to
      // keep the abuse in the fitted tail
      double width = this == TUKEY ? 3 : Math.min(TUKEY_OUTER, 1.5 * Math.exp(mc >= 0 ? 3 * mc : 4 * mc));
      return q3 + width * (q3 - q1);
    }
  }

  /**
   * The medcouple of sorted scores (Brys, Hubert and Struyf 2004), a robust skewness in [-1, 1]:
   * the median of {@code ((xj - m) - (m - xi)) / (xj - xi)} over pairs {@code xi <= m <= xj}. Computed
   * on at most 1,000 evenly spaced order statistics (deterministic); pairs that both equal the
   * median count as 0.
   */
  static double medcouple(double[] sorted) {
    int n = sorted.length;
    int m = Math.min(n, 1000);
    double[] x = new double[m];
    for (int i = 0; i < m; i++) {
      x[i] = sorted[m == n ? i : (int) Math.round(i * (n - 1) / (double) (m - 1))];
    }
    double med = Quantiles.ofSorted(x, 0.5);
    int lo = 0;
    while (lo < m && x[lo] <= med) {
      lo++;
    }
    int hi = m - 1;
    while (hi >= 0 && x[hi] >= med) {
      hi--;
    }
    // x[0..lo) <= med, x(hi..m) >= med
    double[] h = new double[lo * (m - hi - 1)];
    int k = 0;
    for (int j = hi + 1; j < m; j++) {
      for (int i = 0; i < lo; i++) {
        double d = x[j] - x[i];
        h[k++] = d == 0 ? 0 : ((x[j] - med) - (med - x[i])) / d;
      }
    }
    if (k == 0) {
      return 0;
    }
    Arrays.sort(h, 0, k);
    return k % 2 == 1 ? h[k / 2] : (h[k / 2 - 1] + h[k / 2]) / 2;
  }

  /**
   * The scores up to {@code fence}: the normal part that the tail is fitted to. Unchanged when the
   * fence would cut more than a quarter of them (or none).
   */
  static double[] normalPart(double[] s, double fence) {
    int keep = s.length;
    while (keep > 0 && s[keep - 1] > fence) {
      keep--;
    }
    return keep < s.length && keep >= 0.75 * s.length ? Arrays.copyOf(s, keep) : s;
  }

  /** The POT threshold of sorted scores at {@code risk}, reported as {@code policy}. */
  static Threshold evt(double[] s, double risk, String policy) {
    int n = s.length;
    if (n < 5) { // too few scores for a tail: the largest, nudged up so that it is not flagged itself
      double max = s[n - 1];
      return new Threshold(max + Math.max(1e-9, Math.abs(max) * 1e-9), policy, Map.of("scores", Integer.toString(n),
          "tail", "too few scores; the largest"));
    }
    int tail = Math.min(n / 2, Math.max(10, (int) Math.ceil(0.02 * n)));
    double t = s[n - tail - 1];
    if (risk >= tail / (double) n) { // inside the data: the empirical quantile
      return new Threshold(Quantiles.ofSorted(s, 1 - risk), policy, Map.of("scores", Integer.toString(n),
          "tail", "empirical"));
    }
    // exceedances over t, ascending; probability-weighted moments of the GPD
    double a0 = 0;
    double a1 = 0;
    for (int i = 0; i < tail; i++) {
      double y = s[n - tail + i] - t;
      double p = (i + 1 - 0.35) / tail;
      a0 += y;
      a1 += (1 - p) * y;
    }
    a0 /= tail;
    a1 /= tail;
    double z;
    double xi;
    double sigma;
    if (a0 <= 0 || a0 - 2 * a1 <= 0) { // every exceedance ties with t: nothing to extrapolate
      xi = 0;
      sigma = 0;
      z = s[n - 1];
    } else {
      double k = a0 / (a0 - 2 * a1) - 2; // Hosking's shape; xi = -k
      sigma = 2 * a0 * a1 / (a0 - 2 * a1);
      xi = Math.max(-0.5, Math.min(1.0, -k));
      double r = risk * n / tail;
      z = Math.abs(xi) < 1e-6 ? t - sigma * Math.log(r) : t + sigma / xi * (Math.pow(r, -xi) - 1);
    }
    // never below the largest held-out score's neighbourhood when the tail is short-bounded
    z = Math.max(z, t);
    if (z == s[n - 1]) {
      z = Math.nextUp(z);
    }
    return new Threshold(z, policy, Map.of("scores", Integer.toString(n), "tail_start", fmt(t),
        "exceedances", Integer.toString(tail), "shape", fmt(xi), "scale", fmt(sigma)));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
