package io.seqwatch.core.threshold;

import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.Arrays;
import java.util.Map;
import java.util.List;

/**
 * {@code target-fpr:<rate>}: the lowest threshold whose false-positive rate on the normal validation
 * sequences is at most {@code rate}; it catches as much as that alert budget allows.
 *
 * <p>Thread-safety: stateless.
 */
public final class TargetFprThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "target-fpr";
  }

  @Override
  public String description() {
    return "lowest threshold with false-positive rate <= rate on labelled validation scores";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("rate", 0.01, "false-positive rate budget in [0, 1]"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    double rate = o.getDouble("rate", 0, 1);
    return data -> {
      requireValidation(data, "target-fpr");
      double[] scores = data.validationScores().orElseThrow();
      boolean[] labels = data.validationLabels().orElseThrow();
      double[] normal = new double[scores.length];
      int n = 0;
      for (int i = 0; i < scores.length; i++) {
        if (!labels[i]) {
          normal[n++] = scores[i];
        }
      }
      normal = Arrays.copyOf(normal, n);
      Arrays.sort(normal);
      int allowed = (int) Math.floor(rate * n + 1e-9);
      // Flag at most `allowed` normals: threshold = the (n - allowed)-th smallest normal score;
      // ties at that score are all kept below the threshold.
      double threshold = allowed >= n ? Math.nextDown(normal[0]) : normal[n - allowed - 1];
      int fp = 0;
      for (double s : normal) {
        fp += s > threshold ? 1 : 0;
      }
      return new Threshold(threshold, "target-fpr:" + rate,
          Map.of("validation_fpr", Double.toString((double) fp / n)));
    };
  }
}
