package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.inject.Injector;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Few-label fine-tuning on real REES46 traffic with attacks grafted in by the injector: an encoder
 * pretrained on the unlabelled log, then a head trained on 200 labelled users, ranks the other half.
 */
class TransformerClassifierTest {
  @TempDir Path tmp;

  @Test
  void aHeadOnAPretrainedEncoderLearnsFromFewLabelsRoundTripsAndExplains() throws IOException {
    assumeTrue(SharedData.root().isPresent(), "../shared/data is absent");
    List<BehaviorEvent> real = SharedData.events("rees46", "rees46/events_oct_sample.csv");
    Injector.Injected inj = Injector.builder().rate(0.1).seed(3).build().inject(real);
    List<BehaviorEvent> log = inj.merged(real);
    Labels labels = inj.labels();
    Path encoder = tmp.resolve("encoder");
    Pipeline pretrain = Pipeline.builder().detector("masked-transformer").threshold("quantile:0.99")
        .options(Map.of("window", "16", "epochs", "2", "checkpoint-dir", encoder.toString(), "device", "cpu")).seed(2).build();
    List<BehaviorSequence> users = pretrain.sequences(log);
    pretrain.fit(users).close(); // unlabelled: every user
    List<BehaviorSequence> labelled = new ArrayList<>();
    List<BehaviorSequence> test = new ArrayList<>();
    for (BehaviorSequence s : users) {
      (Math.floorMod(s.key().hashCode(), 2) == 0 && labelled.size() < 200 ? labelled : test).add(s);
    }
    Pipeline fine = Pipeline.builder().detector("transformer-classifier")
        .options(Map.of("pretrained", encoder.toString(), "epochs", "3", "min-steps", "80", "device", "cpu")).seed(2).build();
    try (FittedPipeline f = fine.fit(labelled, List.of(), labels)) {
      Map<String, String> summary = f.provenance().trainingSummary();
      assertEquals("200", summary.get("labelled"));
      assertEquals(MaskedEventCheckpoint.read(encoder).weightsHash(), summary.get("pretrained.weights-sha256"));
      List<Score> scores = f.score(test);
      double[] s = scores.stream().mapToDouble(Score::value).toArray();
      boolean[] y = new boolean[s.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = labels.label(scores.get(i).key()).orElseThrow();
      }
      double auc = Metrics.rocAuc(s, y);
      System.out.printf("transformer-classifier, 200 labels, REES46 + attacks: ROC-AUC %.3f, PR-AUC %.3f%n", auc,
          Metrics.averagePrecision(s, y));
      assertTrue(auc > 0.95, "ROC-AUC " + auc); // 0.995 measured; the untrained head's ranking is the encoder's surprise
      Score top = scores.stream().max(java.util.Comparator.comparingDouble(Score::value)).orElseThrow();
      assertTrue(top.explanation().summary().contains("hiding it moves the anomaly logit from"), top.explanation().summary());
      f.save(tmp.resolve("m"));
      try (FittedPipeline back = FittedPipeline.load(tmp.resolve("m"))) {
        assertArrayEquals(s, back.score(test).stream().mapToDouble(Score::value).toArray());
      }
      double[] alone = test.subList(0, 5).stream().mapToDouble(q -> f.score(q).value()).toArray();
      assertArrayEquals(java.util.Arrays.copyOf(s, 5), alone, "scored alone as in a batch");
    }
  }
}
