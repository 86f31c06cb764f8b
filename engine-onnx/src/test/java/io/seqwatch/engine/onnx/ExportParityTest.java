package io.seqwatch.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.testkit.HdfsData;
import io.seqwatch.testkit.SharedData;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains {@code gru} on real HDFS sessions and {@code lstm} on the real Taobao log with engine-djl,
 * exports both to ONNX and checks that ONNX Runtime reproduces every score within 1e-5: in this class
 * path (both engines present, the bundle picks its engine) and in one that has engine-onnx but not
 * engine-djl, DJL or PyTorch (swap by dependency). Also the reverse (an ONNX bundle without
 * engine-onnx) and corrupt graphs.
 */
class ExportParityTest {
  @TempDir static Path dir;
  static List<BehaviorSequence> hdfsTrain;
  static List<BehaviorSequence> hdfsValid;
  static Path gruDjl;
  static Path gruOnnx;
  static double[] gruScores;

  @BeforeAll
  static void trainAndExport() throws IOException {
    assumeTrue(SharedData.file("hdfs/hdfs_train").isPresent(), "../shared/data/hdfs is absent");
    HdfsData d = HdfsData.load(SharedData.root().orElseThrow().resolve("hdfs"));
    hdfsTrain = d.train().subList(0, 1500);
    hdfsValid = d.valid();
    gruDjl = dir.resolve("gru-djl");
    gruOnnx = dir.resolve("gru-onnx");
    try (FittedPipeline f = Pipeline.builder().detector("gru").dropDuplicates(false).threshold("quantile:1")
        .option("hidden", "32").option("epochs", "2").option("device", "cpu").build().fit(hdfsTrain)) {
      f.save(gruDjl);
      f.export(gruOnnx, "onnx");
      gruScores = f.score(hdfsValid).stream().mapToDouble(Score::value).toArray();
    }
  }

  @Test
  void exportedGruScoresLikeDjlOnRealHdfsSessions() throws IOException {
    try (FittedPipeline onnx = FittedPipeline.load(gruOnnx)) {
      List<Score> scores = onnx.score(hdfsValid);
      assertEquals(gruScores.length, scores.size());
      double worst = 0;
      for (int i = 0; i < gruScores.length; i++) {
        worst = Math.max(worst, Math.abs(gruScores[i] - scores.get(i).value()));
      }
      System.out.printf("gru ONNX vs DJL on %d HDFS sessions: max |difference| %.2e%n", scores.size(), worst);
      assertTrue(worst <= 1e-5, "max difference " + worst);
      assertTrue(onnx.provenance().engine().startsWith("onnx"), onnx.provenance().engine());
      // the reasons come from the same code: the same least likely event is named
      assertTrue(scores.get(0).explanation().summary().contains("event "), scores.get(0).explanation().summary());
    }
    String manifest = Files.readString(gruOnnx.resolve("manifest.json"));
    assertTrue(manifest.contains("\"engine\" : \"onnx\""), manifest);
    assertTrue(Files.size(gruOnnx.resolve("detector/model.onnx")) > 10_000);
  }

  @Test
  void exportedLstmScoresLikeDjlOnTheRealTaobaoLog() throws IOException {
    List<BehaviorEvent> events = read("taobao/user_behavior_43users.csv", "taobao");
    Path out = dir.resolve("lstm-onnx");
    double[] djl;
    try (FittedPipeline f = Pipeline.builder().detector("lstm").option("hidden", "16").option("layers", "2")
        .option("epochs", "2").option("device", "cpu").build().fitEvents(events)) {
      djl = f.scoreEvents(events).stream().mapToDouble(Score::value).toArray();
      f.export(out, "onnx");
    }
    try (FittedPipeline onnx = FittedPipeline.load(out)) {
      double[] ort = onnx.scoreEvents(events).stream().mapToDouble(Score::value).toArray();
      assertEquals(43, ort.length);
      for (int i = 0; i < djl.length; i++) {
        assertEquals(djl[i], ort[i], 1e-5, "user " + i);
      }
    }
  }

  @Test
  void exportedLstmKeepsActionGapTokensAndTypicalityAndExplainsTheSame() throws IOException {
    List<BehaviorEvent> events = read("taobao/user_behavior_43users.csv", "taobao");
    Path out = dir.resolve("lstm-gap-onnx");
    List<Score> djl;
    try (FittedPipeline f = Pipeline.builder().detector("lstm").option("hidden", "16").option("layers", "1")
        .option("epochs", "2").option("aggregate", "typicality").option("device", "cpu")
        .representationOption("token", "action+gap").build().fitEvents(events)) {
      assertTrue(f.encoder().orElseThrow().vocabulary().contains("pv@start"), f.encoder().orElseThrow().vocabulary().toString());
      djl = f.scoreEvents(events);
      f.export(out, "onnx");
    }
    try (FittedPipeline onnx = FittedPipeline.load(out)) {
      List<Score> ort = onnx.scoreEvents(events);
      double worst = 0;
      for (int i = 0; i < djl.size(); i++) {
        // typicality scales the mean NLL by sqrt(n) / sd: the per-event 1e-6 grows by that factor
        worst = Math.max(worst, Math.abs(djl.get(i).value() - ort.get(i).value()) / Math.max(1, djl.get(i).value()));
        assertEquals(djl.get(i).explanation().contributions().get(0).reason().replaceAll("[0-9.]+", "#"),
            ort.get(i).explanation().contributions().get(0).reason().replaceAll("[0-9.]+", "#"));
      }
      System.out.printf("lstm on action+gap tokens, typicality, ONNX vs DJL: max relative difference %.2e%n", worst);
      assertTrue(worst <= 1e-4, "max relative difference " + worst);
      assertEquals("typicality", ort.get(0).explanation().contributions().get(0).name());
    }
  }

  @Test
  void exportedAutoencoderScoresLikeDjlOnTaobaoBehaviourFeatures() throws IOException {
    List<BehaviorEvent> events = read("taobao/user_behavior_2h.csv", "taobao");
    events = events.subList(0, 30_000);
    assertParity("autoencoder", java.util.Map.of("epochs", "3", "device", "cpu"), events, 1e-5);
  }

  @Test
  void exportedLstmAutoencoderScoresLikeDjlOnTheRealTaobaoLog() throws IOException {
    List<BehaviorEvent> events = read("taobao/user_behavior_43users.csv", "taobao");
    assertParity("lstm-autoencoder", java.util.Map.of("epochs", "2", "hidden", "16", "device", "cpu"), events, 1e-5);
    // typicality: the measured training statistics travel with the export; z-scores scale the per-event
    // difference by sqrt(n) / sd
    assertParity("lstm-autoencoder", java.util.Map.of("epochs", "2", "hidden", "16", "aggregate", "typicality",
        "device", "cpu"), events, 1e-4);
  }

  @Test
  void exportedTransformerScoresAndAttendsLikeDjlOnRees46WithPricesAndCategories() throws IOException {
    List<BehaviorEvent> events = read("rees46/events_oct_sample.csv", "rees46");
    assertParity("transformer", java.util.Map.of("embedding", "16", "heads", "2", "epochs", "2", "device", "cpu"), events,
        1e-5);
    // the reasons carry the attention, computed by the ONNX graph
    try (FittedPipeline onnx = FittedPipeline.load(dir.resolve("transformer-onnx"))) {
      String reasons = onnx.scoreEvents(events).stream().map(sc -> sc.explanation().summary())
          .filter(r -> r.contains("attended most to")).findFirst().orElse("");
      assertTrue(reasons.contains("attended most to event"), reasons);
    }
  }

  @Test
  void exportedTransformerFusesEveryModalityAndGatesLikeDjl() throws IOException {
    // context (user agent), query trigrams, a numeric item attribute and a profile attribute
    List<BehaviorEvent> events = io.seqwatch.testkit.MultimodalEvents.of(60, 3);
    assertParity("transformer", java.util.Map.of("embedding", "16", "heads", "2", "epochs", "2", "aggregate", "max",
        "attribute-surprise", "true", "device", "cpu"), events, 1e-5);
    try (FittedPipeline onnx = FittedPipeline.load(dir.resolve("transformer-onnx-max"))) {
      String reasons = onnx.scoreEvents(events).stream().map(sc -> sc.explanation().summary())
          .filter(r -> r.contains("modalities weighed")).findFirst().orElse("");
      assertTrue(reasons.matches("(?s).*modalities weighed: [a-z]+ [0-9.]+.*"), reasons);
      String doc = new String(java.nio.file.Files.readAllBytes(dir.resolve("transformer-onnx-max/detector/model.onnx")),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(doc.contains("attribute_ids") && doc.contains("attribute_values") && doc.contains("modality_gate")
          && doc.contains("next_attribute_log_probs"));
    }
  }

  /** Every event of a file under ../shared/data. */
  private static List<BehaviorEvent> read(String file, String format) throws IOException {
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat(format).read(SharedData.file(file).orElseThrow(), events::add, r -> {});
    return events;
  }

  /** Trains on DJL, exports, loads on ONNX Runtime and compares every score and the top reason. */
  private static void assertParity(String detector, java.util.Map<String, String> options, List<BehaviorEvent> events,
      double tolerance) throws IOException {
    Path out = dir.resolve(detector + "-onnx" + (options.containsKey("aggregate") ? "-" + options.get("aggregate") : ""));
    List<Score> djl;
    try (FittedPipeline f = Pipeline.builder().detector(detector).options(options).build().fitEvents(events)) {
      djl = f.scoreEvents(events);
      f.export(out, "onnx");
    }
    try (FittedPipeline onnx = FittedPipeline.load(out)) {
      assertTrue(onnx.provenance().engine().startsWith("onnxruntime"), onnx.provenance().engine());
      List<Score> ort = onnx.scoreEvents(events);
      assertEquals(djl.size(), ort.size());
      double worst = 0;
      for (int i = 0; i < djl.size(); i++) {
        worst = Math.max(worst, Math.abs(djl.get(i).value() - ort.get(i).value()));
        var a = djl.get(i).explanation().contributions();
        var b = ort.get(i).explanation().contributions();
        assertEquals(a.size(), b.size(), "reasons of " + djl.get(i).key());
        if (!a.isEmpty() && djl.get(i).value() > 1e-3) {
          assertEquals(a.get(0).name(), b.get(0).name(), "top reason of " + djl.get(i).key());
        }
      }
      System.out.printf("%s ONNX vs DJL on %d sequences: max |difference| %.2e%n", detector, djl.size(), worst);
      assertTrue(worst <= tolerance, detector + " max difference " + worst);
    }
  }

  @Test
  void applicationWithOnlyEngineOnnxLoadsTheExportAndScoresTheSame() throws Exception {
    double[] isolated = scoreInIsolation(gruOnnx, entry -> entry.contains("engine-djl") || entry.contains("/ai/djl/"));
    for (int i = 0; i < gruScores.length; i++) {
      assertEquals(gruScores[i], isolated[i], 1e-5, "session " + i);
    }
  }

  @Test
  void onnxBundleWithoutEngineOnnxNamesTheArtifactToAdd() throws Exception {
    Exception e = assertThrows(Exception.class, () -> scoreInIsolation(gruOnnx,
        entry -> entry.contains("engine-onnx") || entry.contains("onnxruntime")));
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    assertEquals(ProviderNotFoundException.class.getName(), cause.getClass().getName());
    assertTrue(cause.getMessage().contains("holds a 'gru' model for the onnx engine, which is not on the class path"),
        cause.getMessage());
    assertTrue(cause.getMessage().contains("Add io.seqwatch:seqwatch-engine-onnx as a dependency"), cause.getMessage());
    assertTrue(cause.getMessage().contains("found only for the engine djl"), cause.getMessage());
  }

  @Test
  void bothEnginesPresentEachBundleLoadsWithItsOwnEngine() throws IOException {
    Registries r = Registries.discover();
    assertEquals(List.of("djl", "onnx"), r.detectors().variants("gru"));
    assertTrue(r.detectors().problems().stream().noneMatch(p -> p.contains("Two detector providers")), r.detectors().problems().toString());
    try (FittedPipeline djl = FittedPipeline.load(gruDjl)) {
      assertTrue(djl.provenance().engine().startsWith("djl"), djl.provenance().engine());
    }
  }

  @Test
  void corruptOrTruncatedGraphsAreRefused() throws IOException {
    Path copy = dir.resolve("gru-truncated");
    copyTree(gruOnnx, copy);
    Path model = copy.resolve("detector/model.onnx");
    byte[] b = Files.readAllBytes(model);
    Files.write(model, java.util.Arrays.copyOf(b, b.length / 2));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(copy));
    assertTrue(e.getMessage().contains("detector/model.onnx has SHA-256"), e.getMessage());

    // a graph that passes the checksums but is not ONNX (written so by a faulty exporter)
    OrtGruDetectorProvider p = new OrtGruDetectorProvider();
    byte[] config = Files.readAllBytes(gruOnnx.resolve("detector/config.bin"));
    io.seqwatch.spi.ArtifactReader reader = new io.seqwatch.spi.ArtifactReader() {
      @Override
      public java.io.InputStream open(String name) {
        return new java.io.ByteArrayInputStream(name.equals("config.bin") ? config : java.util.Arrays.copyOf(b, 100));
      }

      @Override
      public boolean contains(String name) {
        return true;
      }
    };
    ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> p.load(reader));
    assertTrue(e2.getMessage().contains("model.onnx (100 bytes) is not a valid ONNX model"), e2.getMessage());
  }

  @Test
  void theEngineOptionPicksTheEngine() {
    var e = assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> Pipeline.builder().detector("gru").option("engine", "onnx").build());
    assertTrue(e.getMessage().contains("does not train"), e.getMessage());
    var missing = assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> Pipeline.builder().detector("gru").option("engine", "tensorflow").build());
    assertTrue(missing.getMessage().contains("found only for the engines djl, onnx"), missing.getMessage());
    assertTrue(Pipeline.builder().detector("gru").option("engine", "djl").option("device", "cpu").build() != null);
  }

  @Test
  void theOnnxEngineRefusesToTrainAndSaysHow() {
    var e = assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> new OrtLstmDetectorProvider().create(io.seqwatch.spi.Options.of(List.of(), java.util.Map.of())));
    assertTrue(e.getMessage().contains("export it with 'seqwatch export --to onnx'"), e.getMessage());
    assertFalse(new OrtLstmDetectorProvider().canTrain());
  }

  /** Loads and scores a bundle in a class loader without the class-path entries {@code hidden} matches. */
  private static double[] scoreInIsolation(Path bundle, Predicate<String> hidden) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isBlank() && !hidden.test(entry.replace('\\', '/'))) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(
          hidden.test("engine-djl") ? "io.seqwatch.engine.djl.GruDetectorProvider" : "io.seqwatch.engine.onnx.OrtGruDetectorProvider",
          false, loader));
      Thread.currentThread().setContextClassLoader(loader);
      Class<?> fitted = Class.forName("io.seqwatch.core.pipeline.FittedPipeline", true, loader);
      Object pipeline;
      try {
        pipeline = fitted.getMethod("load", Path.class).invoke(null, bundle);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw (Exception) e.getCause();
      }
      try (AutoCloseable closeable = (AutoCloseable) pipeline) {
        Method score = fitted.getMethod("score", List.class);
        List<?> scores = (List<?>) score.invoke(pipeline, toLoader(loader));
        double[] out = new double[scores.size()];
        for (int i = 0; i < out.length; i++) {
          Object s = scores.get(i);
          out[i] = (double) s.getClass().getMethod("value").invoke(s);
        }
        return out;
      }
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  /** The HDFS validation sessions rebuilt from the isolated loader's classes. */
  private static List<Object> toLoader(ClassLoader loader) throws Exception {
    Class<?> event = Class.forName("io.seqwatch.api.BehaviorEvent", true, loader);
    Class<?> seq = Class.forName("io.seqwatch.api.BehaviorSequence", true, loader);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<Enum> type = (Class<Enum>) Class.forName("io.seqwatch.api.ActionType", true, loader);
    var make = event.getConstructor(String.class, java.util.Optional.class, long.class, String.class, type,
        java.util.Optional.class, java.util.Optional.class, java.util.OptionalDouble.class, long.class);
    List<Object> out = new ArrayList<>();
    for (BehaviorSequence s : hdfsValid) {
      List<Object> events = new ArrayList<>();
      for (BehaviorEvent e : s.events()) {
        @SuppressWarnings("unchecked")
        Object t = Enum.valueOf(type, e.type().name());
        events.add(make.newInstance(e.actorId(), e.sessionId(), e.timestampMillis(), e.action(), t, e.itemId(),
            e.categoryId(), e.price(), e.line()));
      }
      out.add(seq.getConstructor(String.class, List.class).newInstance(s.key(), events));
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
