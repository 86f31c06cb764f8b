package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code contamination:<rate>}: the expected share of anomalies in the training data; the same as
 * {@code quantile:<1-rate>}, in the words PyOD and scikit-learn use.
 *
 * <p>Thread-safety: stateless.
 */
public final class ContaminationThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "contamination";
  }

  @Override
  public String description() {
    return "expected anomaly share of the training data; flags that share (= quantile:1-rate)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("rate", 0.05, "share of anomalies in [0, 0.5]"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double rate = o.getDouble("rate", 0, 0.5);
    return data -> new Threshold(Quantiles.ofSorted(sortedTraining(data), 1 - rate),
        "contamination:" + rate, Map.of());
  }
}
