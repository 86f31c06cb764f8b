package io.seqwatch.core.eval;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Stratified k-fold cross-validation of a pipeline on labelled sequences: each fold is scored and
 * decided by a pipeline fitted (detector and threshold) on the other folds, so the metrics say how
 * the detector and its threshold calibration do on sequences they did not see. Supervised
 * detectors train on the other folds' labels; unsupervised ones ignore them.
 *
 * <pre>{@code
 * CrossValidation.Result cv = CrossValidation.run(pipeline, pipeline.sequences(events), labels, 5, 42);
 * cv.pooled().rocAuc(); cv.foldRocAuc();
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class CrossValidation {
  private CrossValidation() {}

  /**
   * Metrics over all out-of-fold scores and decisions ({@code pooled}), and per fold.
   *
   * @param pooled every labelled sequence scored by the model of the folds it was not in
   * @param folds the metrics of each fold
   */
  public record Result(EvaluationResult pooled, List<EvaluationResult> folds) {
    public Result {
      folds = List.copyOf(folds);
    }

    /** Mean and sample standard deviation of a per-fold metric. */
    public double[] meanAndSd(java.util.function.ToDoubleFunction<EvaluationResult> metric) {
      double[] v = folds.stream().mapToDouble(metric).filter(x -> !Double.isNaN(x)).toArray();
      double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
      double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
      return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0};
    }
  }

  /**
   * Runs {@code k}-fold cross-validation over the {@code sequences} that have a label; folds are
   * stratified (anomalies dealt evenly) and drawn with {@code seed}.
   *
   * @throws ConfigurationException when k is below 2, or a fold would have no anomalous or no
   *     normal sequence
   */
  public static Result run(Pipeline pipeline, List<BehaviorSequence> sequences, Labels labels, int k, long seed) {
    if (k < 2) {
      throw new ConfigurationException("cross-validation needs at least 2 folds, got " + k);
    }
    List<BehaviorSequence> pos = new ArrayList<>();
    List<BehaviorSequence> neg = new ArrayList<>();
    for (BehaviorSequence s : sequences) {
      labels.label(s.key()).ifPresent(l -> (l ? pos : neg).add(s));
    }
    if (pos.size() < k || neg.size() < k) {
      throw new ConfigurationException(k + "-fold cross-validation needs at least " + k + " anomalous and " + k
          + " normal labelled sequences; found " + pos.size() + " and " + neg.size());
    }
    Random r = new Random(seed);
    Collections.shuffle(pos, r);
    Collections.shuffle(neg, r);
    List<List<BehaviorSequence>> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      folds.add(new ArrayList<>());
    }
    for (int i = 0; i < pos.size(); i++) {
      folds.get(i % k).add(pos.get(i));
    }
    for (int i = 0; i < neg.size(); i++) {
      folds.get((i + pos.size()) % k).add(neg.get(i));
    }
    List<Score> all = new ArrayList<>();
    List<EvaluationResult> perFold = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      List<BehaviorSequence> train = new ArrayList<>();
      for (int g = 0; g < k; g++) {
        if (g != f) {
          train.addAll(folds.get(g));
        }
      }
      try (FittedPipeline p = pipeline.fit(train, List.of(), labels)) {
        List<Score> s = p.score(folds.get(f));
        perFold.add(Evaluator.evaluate(s, labels));
        all.addAll(s);
      }
    }
    return new Result(Evaluator.evaluate(all, labels), perFold);
  }
}
