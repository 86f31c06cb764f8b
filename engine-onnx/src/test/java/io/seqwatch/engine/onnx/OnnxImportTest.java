package io.seqwatch.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Metrics;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.testkit.HdfsData;
import io.seqwatch.testkit.SharedData;
import io.seqwatch.spi.support.Parameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX models trained elsewhere, wrapped with an import spec: a feature scorer built here with the
 * ONNX protobuf classes (standing in for a scikit-learn or PyTorch export) on simulated shop
 * traffic, and a next-action graph with its own vocabulary on the real HDFS sessions.
 */
class OnnxImportTest {
  @TempDir Path dir;

  /** A linear scorer: float_input [N, 3] -> scores [N, 1] = x . w + b. */
  private static byte[] linearModel(float[] w, float b) {
    ByteBuffer wb = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    wb.asFloatBuffer().put(w);
    ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, b);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("linear")
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(w.length).addDims(1)
            .setRawData(ByteString.copyFrom(wb.array())))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("b").setDataType(1).addDims(1)
            .setRawData(ByteString.copyFrom(bb.array())))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("float_input").addInput("w").addOutput("xw"))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("xw").addInput("b").addOutput("scores"))
        .addInput(value("float_input", w.length))
        .addOutput(value("scores", 1));
    return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build().toByteArray();
  }

  private static OnnxMl.ValueInfoProto value(String name, int width) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
  }

  @Test
  void aForeignFeatureModelScoresRanksAndExplainsThroughTheSpec() throws IOException {
    Path model = Files.write(dir.resolve("linear.onnx"), linearModel(new float[] {1, 1, 1}, 0));
    Path spec = Files.writeString(dir.resolve("spec.json"), "{\"input\": \"float_input\", \"output\": \"scores\", "
        + "\"features\": [\"count_cart\", \"events_per_hour\", \"peak_events_per_min\"], \"standardize\": true, "
        + "\"score\": \"identity\"}");
    SimulatedData d = Simulator.builder().users(1500).seed(3).build().generate();
    Pipeline p = Pipeline.builder().detector("onnx-features").option("model", model.toString())
        .option("spec", spec.toString()).threshold("contamination:0.05").build();
    Path bundle = dir.resolve("bundle");
    List<Score> scores;
    try (FittedPipeline f = p.fitEvents(d.events())) {
      scores = f.scoreEvents(d.events());
      f.save(bundle);
    }
    double[] v = new double[scores.size()];
    boolean[] y = new boolean[scores.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = scores.get(i).value();
      y[i] = d.labels().label(scores.get(i).key()).orElse(false);
    }
    double auc = Metrics.rocAuc(v, y);
    assertTrue(auc > 0.8, "ROC-AUC " + auc);
    Score top = scores.stream().max(java.util.Comparator.comparingDouble(Score::value)).orElseThrow();
    String reason = top.explanation().contributions().get(0).name();
    assertTrue(List.of("count_cart", "events_per_hour", "peak_events_per_min").contains(reason), reason);
    try (FittedPipeline again = FittedPipeline.load(bundle)) {
      List<Score> s2 = again.scoreEvents(d.events());
      for (int i = 0; i < v.length; i++) {
        assertEquals(v[i], s2.get(i).value(), 0.0);
      }
    }
  }

  @Test
  void specMistakesAreNamed() throws IOException {
    Path model = Files.write(dir.resolve("linear.onnx"), linearModel(new float[] {1, 1}, 0));
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"input\": \"float_input\", \"output\": \"scores\", "
        + "\"features\": [\"count_cart\", \"clicks_per_fortnight\"]}");
    SimulatedData d = Simulator.builder().users(100).seed(3).build().generate();
    Pipeline p = Pipeline.builder().detector("onnx-features").option("model", model.toString())
        .option("spec", bad.toString()).build();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> p.fitEvents(d.events()));
    assertTrue(e.getMessage().contains("feature 'clicks_per_fortnight' is not a behaviour feature"), e.getMessage());

    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"input\": \"float_input\", \"ouptut\": \"scores\"}");
    ConfigurationException e2 = assertThrows(ConfigurationException.class, () -> Pipeline.builder()
        .detector("onnx-features").option("model", model.toString()).option("spec", typo.toString()).build());
    assertTrue(e2.getMessage().contains("unknown key 'ouptut'"), e2.getMessage());

    Path wrongOut = Files.writeString(dir.resolve("out.json"), "{\"input\": \"float_input\", \"output\": \"label\", "
        + "\"features\": [\"count_cart\", \"count_view\"]}");
    ConfigurationException e3 = assertThrows(ConfigurationException.class, () -> Pipeline.builder()
        .detector("onnx-features").option("model", model.toString()).option("spec", wrongOut.toString()).build()
        .fitEvents(d.events()));
    assertTrue(e3.getMessage().contains("the model has no output 'label' (it has [scores])"), e3.getMessage());
  }

  @Test
  void aForeignNextActionModelWithItsOwnVocabularyScoresLikeTheOriginal() throws IOException {
    assumeTrue(SharedData.file("hdfs/hdfs_train").isPresent(), "../shared/data/hdfs is absent");
    HdfsData d = HdfsData.load(SharedData.root().orElseThrow().resolve("hdfs"));
    Path gru = dir.resolve("gru");
    double[] original;
    // action tokens, as the imported model's pipeline reads them (onnx-next-action's encoder default)
    try (FittedPipeline f = Pipeline.builder().detector("gru").dropDuplicates(false).option("hidden", "16")
        .option("layers", "1").option("epochs", "1").option("device", "cpu").representationOption("token", "action")
        .build().fit(d.train().subList(0, 800))) {
      original = f.score(d.valid()).stream().mapToDouble(Score::value).toArray();
      f.export(gru, "onnx");
    }
    // the exported graph stands in for a model trained elsewhere; its vocabulary goes in the spec
    List<String> tokens;
    try (InputStream s = Files.newInputStream(gru.resolve("detector/config.bin"))) {
      tokens = Parameters.read(s).strings("tokens");
    }
    StringBuilder vocab = new StringBuilder();
    for (String t : tokens) {
      vocab.append(vocab.length() == 0 ? "" : ", ").append('"').append(t).append('"');
    }
    Path spec = Files.writeString(dir.resolve("next.json"), "{\"input\": \"tokens\", \"output\": \"log_probs\", "
        + "\"outputs\": \"log-probs\", \"window\": 6, \"vocabulary\": [" + vocab + "], \"padding\": \"" + tokens.get(0)
        + "\", \"end\": \"" + tokens.get(0) + "\", \"unknown\": \"" + tokens.get(1) + "\"}", StandardCharsets.UTF_8);
    // trained on more sessions: Seqwatch's own token ids differ, the spec's vocabulary maps them
    List<io.seqwatch.api.BehaviorSequence> more = new ArrayList<>(d.train().subList(0, 2500));
    java.util.Collections.reverse(more);
    try (FittedPipeline f = Pipeline.builder().detector("onnx-next-action").dropDuplicates(false)
        .option("model", gru.resolve("detector/model.onnx").toString()).option("spec", spec.toString())
        .threshold("quantile:1").build().fit(more)) {
      double[] imported = f.score(d.valid()).stream().mapToDouble(Score::value).toArray();
      double worst = 0;
      for (int i = 0; i < imported.length; i++) {
        worst = Math.max(worst, Math.abs(imported[i] - original[i]));
      }
      System.out.printf("imported next-action model vs original on %d HDFS sessions: max |difference| %.2e%n",
          imported.length, worst);
      assertTrue(worst <= 1e-5, "max difference " + worst);
      Path bundle = dir.resolve("imported");
      f.save(bundle);
      try (FittedPipeline again = FittedPipeline.load(bundle)) {
        assertEquals(imported[7], again.score(d.valid()).get(7).value(), 0.0);
      }
    }
    // typicality: the import measures the entropy rate on its training data and keeps it in the bundle;
    // each score is |mean NLL - that rate| * sqrt(events + end) / sd, the mean NLL as aggregate=mean gives it
    double[] mean = importAndScore(gru, spec, "mean", more, d.valid(), dir.resolve("imported-mean"));
    Path typicalBundle = dir.resolve("imported-typicality");
    double[] z = importAndScore(gru, spec, "typicality", more, d.valid(), typicalBundle);
    Parameters config;
    try (InputStream s = Files.newInputStream(typicalBundle.resolve("detector/config.bin"))) {
      config = Parameters.read(s);
    }
    double rate = config.doubleValue("typical-mean");
    double sd = config.doubleValue("typical-std");
    assertTrue(rate > 0 && sd > 0, "entropy rate " + rate + ", sd " + sd);
    for (int i = 0; i < z.length; i++) {
      double expected = Math.abs(mean[i] - rate) * Math.sqrt(d.valid().get(i).size() + 1) / sd;
      assertEquals(expected, z[i], 1e-9 * Math.max(1, expected), "session " + i);
    }
    try (FittedPipeline again = FittedPipeline.load(typicalBundle)) {
      Score first = again.score(d.valid().subList(0, 1)).get(0);
      assertEquals(z[0], first.value(), 0.0);
      assertEquals("typicality", first.explanation().contributions().get(0).name());
    }
  }

  /** Imports the exported graph with an aggregate, fits on {@code training}, saves, scores {@code valid}. */
  private static double[] importAndScore(Path exported, Path spec, String aggregate,
      List<io.seqwatch.api.BehaviorSequence> training, List<io.seqwatch.api.BehaviorSequence> valid, Path bundle)
      throws IOException {
    Path withAggregate = Files.writeString(spec.resolveSibling("next-" + aggregate + ".json"),
        Files.readString(spec).replaceFirst("\\}$", ", \"aggregate\": \"" + aggregate + "\"}"));
    try (FittedPipeline f = Pipeline.builder().detector("onnx-next-action").dropDuplicates(false)
        .option("model", exported.resolve("detector/model.onnx").toString()).option("spec", withAggregate.toString())
        .build().fit(training)) {
      f.save(bundle);
      return f.score(valid).stream().mapToDouble(Score::value).toArray();
    }
  }
}
