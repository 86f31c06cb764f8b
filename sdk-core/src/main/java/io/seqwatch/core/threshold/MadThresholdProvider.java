package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code mad:<k>}: median + k * 1.4826 * MAD of the training scores, robust to the anomalies in the
 * training data. When the MAD is 0 (more than half the scores tie), the scale falls back to the
 * mean absolute deviation from the median (times 1.2533), and finally to 1e-9 so that
 * only scores above the median are flagged.
 *
 * <p>Thread-safety: stateless.
 */
public final class MadThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "mad";
  }

  @Override
  public String description() {
    return "robust: median + k * 1.4826 * MAD of the training scores";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("k", 3.5, "number of robust standard deviations"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double k = o.getDouble("k", 0, 1000);
    return data -> {
      double[] s = sortedTraining(data);
      double median = Quantiles.ofSorted(s, 0.5);
      double scale = 1.4826 * Quantiles.mad(s);
      if (scale == 0) {
        double sum = 0;
        for (double x : s) {
          sum += Math.abs(x - median);
        }
        scale = 1.2533 * sum / s.length;
      }
      if (scale == 0) {
        scale = 1e-9;
      }
      return new Threshold(median + k * scale, "mad:" + k,
          Map.of("median", Double.toString(median), "scale", Double.toString(scale)));
    };
  }
}
