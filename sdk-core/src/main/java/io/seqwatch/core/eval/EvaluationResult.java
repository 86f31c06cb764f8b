package io.seqwatch.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics of one scored set against labels. Undefined values (for example ROC-AUC with one class)
 * are NaN and written to JSON as {@code null}.
 *
 * @param sequences scored sequences that have a label
 * @param anomalous labelled anomalous among them
 * @param unlabelled scored sequences without a label (left out)
 * @param tp true positives at the threshold
 * @param fp false positives
 * @param tn true negatives
 * @param fn false negatives
 * @param precision tp / (tp + fp)
 * @param recall tp / (tp + fn)
 * @param f1 harmonic mean of precision and recall
 * @param accuracy (tp + tn) / sequences
 * @param fpr fp / (fp + tn)
 * @param rocAuc area under the ROC curve
 * @param prAuc average precision
 * @param precisionAtK precision among the k highest scores, k = number of anomalous
 * @param perKind recall per anomaly kind
 *     <p>Thread-safety: immutable.
 */
public record EvaluationResult(
    int sequences,
    int anomalous,
    int unlabelled,
    int tp,
    int fp,
    int tn,
    int fn,
    double precision,
    double recall,
    double f1,
    double accuracy,
    double fpr,
    @JsonProperty("roc_auc") double rocAuc,
    @JsonProperty("pr_auc") double prAuc,
    @JsonProperty("precision_at_k") double precisionAtK,
    @JsonProperty("per_kind") Map<String, KindRecall> perKind) {
  public EvaluationResult {
    perKind = Map.copyOf(new TreeMap<>(perKind));
  }

  /**
   * Recall for one anomaly kind.
   *
   * @param count labelled sequences of that kind
   * @param caught how many were flagged
   * @param recall caught / count
   *     <p>Thread-safety: immutable.
   */
  public record KindRecall(int count, int caught, double recall) {}
}
