package io.seqwatch.core.threshold;

import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code max-f1}: the threshold with the best F1 on labelled validation scores. Candidates are the
 * distinct validation scores (flagging everything strictly above each); ties in F1 go to the higher
 * threshold (fewer alerts).
 *
 * <p>Thread-safety: stateless.
 */
public final class MaxF1ThresholdProvider extends ThresholdPolicyBase {
  @Override
  public String name() {
    return "max-f1";
  }

  @Override
  public String description() {
    return "best F1 on labelled validation scores";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public ThresholdPolicy create(Options o) {
    return data -> {
      requireValidation(data, "max-f1");
      double[] best = bestF1(data);
      return new Threshold(best[0], "max-f1", Map.of("validation_f1", Double.toString(best[1])));
    };
  }

  /** Returns {threshold, f1}. */
  static double[] bestF1(CalibrationData data) {
    double[] scores = data.validationScores().orElseThrow();
    boolean[] labels = data.validationLabels().orElseThrow();
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    int positives = 0;
    for (boolean b : labels) {
      positives += b ? 1 : 0;
    }
    // Walk down distinct scores; after consuming all items with score >= s, flagged = those items.
    // The threshold that flags exactly them is the next lower distinct score (or below the minimum).
    double bestF1 = -1;
    double bestThreshold = Double.POSITIVE_INFINITY;
    int tp = 0;
    int flagged = 0;
    int i = 0;
    while (i < order.length) {
      double s = scores[order[i]];
      while (i < order.length && scores[order[i]] == s) {
        tp += labels[order[i]] ? 1 : 0;
        flagged++;
        i++;
      }
      double threshold = i < order.length ? scores[order[i]] : Math.nextDown(s);
      double f1 = tp == 0 ? 0 : 2.0 * tp / (flagged + positives);
      if (f1 > bestF1) {
        bestF1 = f1;
        bestThreshold = threshold;
      }
    }
    return new double[] {bestThreshold, bestF1};
  }
}
