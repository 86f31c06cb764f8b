package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code quantile:<q>}: the q-quantile of the training scores, so about {@code 1-q} of training
 * sequences are flagged (fewer when scores tie at the threshold).
 *
 * <p>Thread-safety: stateless.
 */
public final class QuantileThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "quantile";
  }

  @Override
  public String description() {
    return "q-quantile of the training scores (flags about 1-q of training data)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("q", 0.99, "quantile in (0, 1)"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double q = o.getDouble("q", 0, 1);
    return data -> new Threshold(Quantiles.ofSorted(sortedTraining(data), q), "quantile:" + q,
        Map.of("training_scores", Integer.toString(data.trainingScores().length)));
  }
}
