package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code fixed:<score>}: a threshold chosen by hand.
 *
 * <p>Thread-safety: stateless.
 */
public final class FixedThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "fixed";
  }

  @Override
  public String description() {
    return "a fixed score; above it is anomalous";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("value", 0.5, "the threshold score"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double v = o.getDouble("value");
    return data -> new Threshold(v, "fixed:" + v, Map.of());
  }
}
