package io.seqwatch.plugin.markov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.Observation;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.testkit.HdfsData;
import io.seqwatch.testkit.SharedData;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingListener;
import io.seqwatch.spi.TrainingSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MarkovTest {
  @Test
  void hdfsRecallAtLowFalsePositiveRateWithAThresholdFromTrainingOnly() throws IOException {
    Optional<Path> dir = SharedData.root().map(r -> r.resolve("hdfs"));
    assumeTrue(dir.isPresent() && SharedData.file("hdfs/hdfs_train").isPresent(), "../shared/data/hdfs is absent");
    HdfsData d = HdfsData.load(dir.get());
    // unsupervised: trained on normal sessions only, threshold = the highest training score
    // the README's HDFS row: a bigram with add-k and the combined score
    Pipeline p = Pipeline.builder().detector("markov").option("order", "1").option("estimator", "add-k")
        .option("aggregate", "combined").dropDuplicates(false).threshold("quantile:1").build();
    try (FittedPipeline f = p.fit(d.train())) {
      java.util.Set<String> flagged = new java.util.HashSet<>();
      f.score(d.valid()).stream().filter(Score::anomalous).forEach(x -> flagged.add(x.key()));
      double[] m = d.recallFprF1(flagged);
      double recall = m[0];
      double fpr = m[1];
      double f1 = m[2];
      System.out.printf("markov on HDFS (1000 normal, 1000 anomalous): recall %.3f, FPR %.4f, F1 at natural ratio %.3f%n",
          recall, fpr, f1);
      assertTrue(recall >= 0.79, "recall " + recall);
      assertTrue(fpr <= 0.005, "FPR " + fpr);
      assertTrue(f1 >= 0.83, "F1 " + f1);
    }
  }

  @Test
  void hdfsWithDefaultsRanksAndDecidesFromHeldOutScores() throws IOException {
    Optional<Path> dir = SharedData.root().map(r -> r.resolve("hdfs"));
    assumeTrue(dir.isPresent() && SharedData.file("hdfs/hdfs_train").isPresent(), "../shared/data/hdfs is absent");
    HdfsData d = HdfsData.load(dir.get());
    // defaults throughout: order 5 Witten-Bell, typical-set score, evt:0.01 on cross-fitted held-out scores
    try (FittedPipeline f = Pipeline.builder().detector("markov").dropDuplicates(false).build().fit(d.train())) {
      List<Score> scores = f.score(d.valid());
      java.util.Set<String> flagged = new java.util.HashSet<>();
      scores.stream().filter(Score::anomalous).forEach(x -> flagged.add(x.key()));
      double[] m = d.recallFprF1(flagged);
      double[] v = scores.stream().mapToDouble(Score::value).toArray();
      boolean[] y = new boolean[v.length];
      for (int i = 0; i < v.length; i++) {
        y[i] = d.labels().label(scores.get(i).key()).orElseThrow();
      }
      double auc = io.seqwatch.core.eval.Metrics.rocAuc(v, y);
      System.out.printf("markov defaults on HDFS: ROC-AUC %.4f, recall %.3f, FPR %.4f%n", auc, m[0], m[1]);
      assertTrue(auc >= 0.99, "ROC-AUC " + auc);
      assertTrue(m[0] >= 0.9, "recall " + m[0]);
      assertTrue(m[1] <= 0.02, "FPR " + m[1]);
    }
  }

  private static Model fit(List<int[]> train, String... options) {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      obs.add(Observation.of(EncodedSequence.ofTokens("t" + i, train.get(i))));
    }
    java.util.Map<String, String> o = new java.util.HashMap<>();
    for (int i = 0; i < options.length; i += 2) {
      o.put(options[i], options[i + 1]);
    }
    MarkovDetectorProvider p = new MarkovDetectorProvider();
    return p.create(Options.of(p.options(), o)).fit(new TrainingSet(obs, Optional.empty(),
        List.of("<pad>", "<unk>", "pv", "cart", "buy"), 1, TrainingListener.NONE));
  }

  @Test
  void unseenTransitionsAndTruncationScoreAndAreExplained() {
    List<int[]> train = List.of(new int[] {2, 2, 3, 4}, new int[] {2, 3, 4}, new int[] {2, 2, 2, 3, 4});
    Model m = fit(train, "order", "1", "estimator", "add-k", "aggregate", "combined");
    double normal = m.score(Observation.of(EncodedSequence.ofTokens("n", new int[] {2, 2, 3, 4})));
    double jump = m.score(Observation.of(EncodedSequence.ofTokens("j", new int[] {2, 4, 3, 4})));
    double truncated = m.score(Observation.of(EncodedSequence.ofTokens("t", new int[] {2, 2, 3})));
    assertTrue(normal < 1, "normal " + normal);
    assertTrue(jump >= 2, "pv->buy and buy->cart are unseen: " + jump);
    assertTrue(truncated >= 1 && truncated < 2, "cart-><end> is unseen: " + truncated);
    Explanation e = m.explain(Observation.of(EncodedSequence.ofTokens("j", new int[] {2, 4, 3, 4})), 2);
    assertEquals("event 2 'buy'", e.contributions().get(0).name());
    assertEquals("event 2 'buy' after 'pv' has probability 0.00165 (never seen in training); expected 'pv'",
        e.contributions().get(0).reason());
  }

  @Property(tries = 100)
  void countTablesRoundTripAndScoresAreFinite(
      @ForAll @Size(min = 1, max = 20) List<@Size(min = 1, max = 15) List<@IntRange(min = 0, max = 9) Integer>> seqs,
      @ForAll @IntRange(min = 0, max = 3) int order) {
    NgramCounts c = new NgramCounts(order, 10);
    for (List<Integer> s : seqs) {
      c.addSequence(s.stream().mapToInt(Integer::intValue).toArray(), true);
    }
    int[] rows = c.toRows();
    NgramCounts back = NgramCounts.fromRows(order, 10, rows);
    assertEquals(rows.length, back.toRows().length);
    List<int[]> train = new ArrayList<>();
    seqs.forEach(s -> train.add(s.stream().mapToInt(i -> Math.max(2, i % 5)).toArray()));
    Model m = fit(train, "order", Integer.toString(order), "estimator", "add-k", "aggregate", "combined");
    for (int[] t : train) {
      double s = m.score(Observation.of(EncodedSequence.ofTokens("x", t)));
      assertTrue(Double.isFinite(s) && s >= 0 && s < 1, "a training sequence has no unseen transition: " + s);
    }
    int[] sorted = back.toRows();
    java.util.Arrays.sort(sorted);
    int[] orig = rows.clone();
    java.util.Arrays.sort(orig);
    assertArrayEquals(orig, sorted);
  }
}
