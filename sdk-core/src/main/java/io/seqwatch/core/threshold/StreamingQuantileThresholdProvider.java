package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.List;

/**
 * {@code streaming-quantile:<q>}: a q-quantile threshold that keeps adapting as scores arrive. At
 * training it runs the training scores through a {@link StreamingQuantile} and stores that state
 * in the threshold's details; {@link io.seqwatch.core.pipeline.FittedPipeline#adaptiveThreshold()}
 * resumes it for online scoring, where every new score updates the estimate.
 *
 * <p>Thread-safety: stateless.
 */
public final class StreamingQuantileThresholdProvider implements ThresholdPolicyProvider {
  @Override
  public String name() {
    return "streaming-quantile";
  }

  @Override
  public String description() {
    return "q-quantile tracked in O(1) memory (P-square) that adapts as scores stream in";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("q", 0.99, "quantile in (0, 1)"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double q = o.getDouble("q", 1e-6, 1 - 1e-6);
    return data -> {
      StreamingQuantile p2 = new StreamingQuantile(q);
      for (double s : data.trainingScores()) {
        p2.add(s);
      }
      return new Threshold(p2.estimate(), name() + ":" + q, p2.state());
    };
  }
}
