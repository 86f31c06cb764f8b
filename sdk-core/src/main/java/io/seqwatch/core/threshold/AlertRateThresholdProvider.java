package io.seqwatch.core.threshold;

import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code alert-rate:<r>}: the threshold above which about {@code r} of new sequences fall: the
 * {@code 1-r} quantile of held-out scores (sequences the model did not fit), for teams that size
 * alerts by what their reviewers can handle.
 *
 * <p>Thread-safety: stateless.
 */
public final class AlertRateThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "alert-rate";
  }

  @Override
  public String description() {
    return "flags about r of new sequences: the 1-r quantile of held-out scores";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("r", 0.01, "share of sequences to alert on, in (0, 1)"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double r = o.getDouble("r", 1e-9, 1);
    return new ThresholdPolicy() {
      @Override
      public Threshold calibrate(CalibrationData data) {
        double[] s = sortedTraining(data);
        return new Threshold(Quantiles.ofSorted(s, 1 - r), "alert-rate:" + r,
            Map.of("held_out_scores", Integer.toString(s.length)));
      }

      @Override
      public boolean calibratesOnHeldOut() {
        return true;
      }
    };
  }
}
