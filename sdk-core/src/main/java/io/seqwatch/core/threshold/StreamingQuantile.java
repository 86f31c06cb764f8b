package io.seqwatch.core.threshold;

import io.seqwatch.api.ConfigurationException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A running estimate of the q-quantile of a stream in O(1) memory: the P-square algorithm (Jain and
 * Chlamtac, 1985), five markers adjusted with piecewise-parabolic interpolation. Used by the {@code
 * streaming-quantile} threshold policy so that a threshold adapts as scores arrive.
 *
 * <p>Its state is five heights and five positions plus the count, and travels in a threshold's
 * details ({@link #state()}, {@link #fromState}) so a saved model resumes where training left off.
 *
 * <p>Thread-safety: {@link #add} and {@link #estimate} are synchronized; one instance may be shared.
 */
public final class StreamingQuantile {
  private final double q;
  private final double[] height = new double[5];
  private final double[] position = new double[5];
  private final double[] desired = new double[5];
  private final double[] increment;
  private long count;

  public StreamingQuantile(double q) {
    if (!(q > 0 && q < 1)) {
      throw new ConfigurationException("quantile must be in (0, 1): " + q);
    }
    this.q = q;
    this.increment = new double[] {0, q / 2, q, (1 + q) / 2, 1};
    for (int i = 0; i < 5; i++) {
      position[i] = i + 1;
    }
    desired[0] = 1;
    desired[1] = 1 + 2 * q;
    desired[2] = 1 + 4 * q;
    desired[3] = 3 + 2 * q;
    desired[4] = 5;
  }

  /** The quantile tracked. */
  public double q() {
    return q;
  }

  /** Observations so far. */
  public synchronized long count() {
    return count;
  }

  /** Adds one observation. */
  public synchronized void add(double x) {
    if (Double.isNaN(x)) {
      throw new IllegalArgumentException("NaN observation");
    }
    if (count < 5) {
      height[(int) count] = x;
      count++;
      if (count == 5) {
        Arrays.sort(height);
      }
      return;
    }
    count++;
    int k;
    if (x < height[0]) {
      height[0] = x;
      k = 0;
    } else if (x >= height[4]) {
      height[4] = Math.max(height[4], x);
      k = 3;
    } else {
      k = 0;
      while (k < 3 && x >= height[k + 1]) {
        k++;
      }
    }
    for (int i = k + 1; i < 5; i++) {
      position[i]++;
    }
    for (int i = 0; i < 5; i++) {
      desired[i] += increment[i];
    }
    for (int i = 1; i <= 3; i++) {
      double d = desired[i] - position[i];
      if ((d >= 1 && position[i + 1] - position[i] > 1) || (d <= -1 && position[i - 1] - position[i] < -1)) {
        int s = d >= 0 ? 1 : -1;
        double parabolic = height[i] + s / (position[i + 1] - position[i - 1])
            * ((position[i] - position[i - 1] + s) * (height[i + 1] - height[i]) / (position[i + 1] - position[i])
            + (position[i + 1] - position[i] - s) * (height[i] - height[i - 1]) / (position[i] - position[i - 1]));
        if (height[i - 1] < parabolic && parabolic < height[i + 1]) {
          height[i] = parabolic;
        } else {
          height[i] = height[i] + s * (height[i + s] - height[i]) / (position[i + s] - position[i]);
        }
        position[i] += s;
      }
    }
  }

  /** The current estimate; with fewer than five observations, the exact quantile of those seen. */
  public synchronized double estimate() {
    if (count == 0) {
      return Double.NaN;
    }
    if (count < 5) {
      double[] s = Arrays.copyOf(height, (int) count);
      Arrays.sort(s);
      return s[(int) Math.min(count - 1, Math.round(q * (count - 1)))];
    }
    return height[2];
  }

  /** The state as strings, for a threshold's details. */
  public synchronized Map<String, String> state() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("p2.q", Double.toString(q));
    m.put("p2.count", Long.toString(count));
    for (int i = 0; i < 5; i++) {
      m.put("p2.height." + i, Double.toString(height[i]));
      m.put("p2.position." + i, Double.toString(position[i]));
      m.put("p2.desired." + i, Double.toString(desired[i]));
    }
    return m;
  }

  /**
   * Restores a state written by {@link #state()}.
   *
   * @throws ConfigurationException when entries are missing or malformed
   */
  public static StreamingQuantile fromState(Map<String, String> m) {
    try {
      StreamingQuantile s = new StreamingQuantile(Double.parseDouble(m.get("p2.q")));
      s.count = Long.parseLong(m.get("p2.count"));
      for (int i = 0; i < 5; i++) {
        s.height[i] = Double.parseDouble(m.get("p2.height." + i));
        s.position[i] = Double.parseDouble(m.get("p2.position." + i));
        s.desired[i] = Double.parseDouble(m.get("p2.desired." + i));
      }
      return s;
    } catch (NullPointerException | NumberFormatException e) {
      throw new ConfigurationException("streaming quantile state is incomplete or malformed: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "StreamingQuantile[q=%s, n=%d, estimate=%.6g]", q, count(), estimate());
  }
}
