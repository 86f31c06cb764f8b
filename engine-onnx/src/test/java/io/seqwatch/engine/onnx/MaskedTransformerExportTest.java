package io.seqwatch.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.inject.Injector;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code masked-transformer} trained with engine-djl on real REES46 traffic with attacks grafted in
 * by the injector, exported to ONNX with float32 weights (scores, reasons and embeddings as on DJL)
 * and with int8 weights (ranks and decisions at the bundle's threshold as on DJL, within what
 * quantisation costs).
 */
class MaskedTransformerExportTest {
  @TempDir static Path dir;
  static List<BehaviorSequence> users;
  static List<Score> djl;
  static List<float[]> djlEmbeddings;

  @BeforeAll
  static void trainAndExport() throws IOException {
    assumeTrue(SharedData.root().isPresent(), "../shared/data is absent");
    List<BehaviorEvent> real = SharedData.events("rees46", "rees46/events_oct_sample.csv");
    List<BehaviorEvent> log = Injector.builder().rate(0.1).seed(3).build().inject(real).merged(real);
    Pipeline p = Pipeline.builder().detector("masked-transformer").threshold("quantile:0.95")
        .options(Map.of("window", "16", "epochs", "2", "device", "cpu")).seed(4).build();
    users = p.sequences(log);
    try (FittedPipeline f = p.fit(users)) {
      djl = f.score(users);
      djlEmbeddings = f.embed(users);
      f.export(dir.resolve("fp32"), "onnx");
      f.export(dir.resolve("int8"), "onnx-int8");
    }
  }

  @Test
  void float32ExportScoresExplainsAndEmbedsLikeDjl() throws IOException {
    try (FittedPipeline onnx = FittedPipeline.load(dir.resolve("fp32"))) {
      assertTrue(onnx.provenance().engine().startsWith("onnxruntime"), onnx.provenance().engine());
      List<Score> ort = onnx.score(users);
      double worst = 0;
      for (int i = 0; i < djl.size(); i++) {
        assertEquals(djl.get(i).key(), ort.get(i).key());
        worst = Math.max(worst, Math.abs(djl.get(i).value() - ort.get(i).value()) / Math.max(1, Math.abs(djl.get(i).value())));
        assertEquals(djl.get(i).anomalous(), ort.get(i).anomalous(), "decision on " + djl.get(i).key());
        var a = djl.get(i).explanation().contributions();
        var b = ort.get(i).explanation().contributions();
        assertEquals(a.size(), b.size());
        if (a.size() > 1) { // the typicality line, then the most surprising event and what was expected there
          assertEquals(a.get(1).name(), b.get(1).name(), "reasons of " + djl.get(i).key());
        }
      }
      System.out.printf("masked-transformer ONNX fp32 vs DJL on %d REES46 sequences: max relative difference %.2e%n",
          djl.size(), worst);
      assertTrue(worst <= 1e-4, "max relative difference " + worst);
      List<float[]> e = onnx.embed(users);
      double embedWorst = 0;
      for (int i = 0; i < e.size(); i++) {
        for (int d = 0; d < e.get(i).length; d++) {
          embedWorst = Math.max(embedWorst, Math.abs(e.get(i)[d] - djlEmbeddings.get(i)[d]));
        }
      }
      assertTrue(embedWorst <= 1e-4, "embedding difference " + embedWorst);
    }
  }

  @Test
  void int8ExportKeepsTheRankingAndTheDecisions() throws IOException {
    long fp32 = Files.size(dir.resolve("fp32/detector/model.onnx"));
    long int8 = Files.size(dir.resolve("int8/detector/model.onnx"));
    try (FittedPipeline onnx = FittedPipeline.load(dir.resolve("int8"))) {
      List<Score> ort = onnx.score(users);
      double[] a = djl.stream().mapToDouble(Score::value).toArray();
      double[] b = ort.stream().mapToDouble(Score::value).toArray();
      double rho = Metrics.spearman(a, b);
      long agree = IntStream.range(0, a.length).filter(i -> djl.get(i).anomalous() == ort.get(i).anomalous()).count();
      long flagged = djl.stream().filter(Score::anomalous).count();
      System.out.printf("masked-transformer ONNX int8 vs DJL on %d sequences: Spearman %.4f, decisions agree %d / %d"
          + " (%d flagged), graph %,d -> %,d bytes%n", a.length, rho, agree, a.length, flagged, fp32, int8);
      assertTrue(flagged > 0);
      assertTrue(rho >= 0.99, "Spearman " + rho);
      assertTrue(agree >= 0.99 * a.length, agree + " of " + a.length);
      assertTrue(int8 < fp32 * 0.6, int8 + " vs " + fp32 + " bytes");
      String manifest = Files.readString(dir.resolve("int8/manifest.json"));
      assertTrue(manifest.contains("onnx-int8"), "the manifest names the variant");
    }
  }
}
