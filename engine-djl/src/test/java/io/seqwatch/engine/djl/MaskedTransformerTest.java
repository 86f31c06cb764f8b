package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The masked-event encoder on real logs: pretraining resumes from a checkpoint to the same model,
 * an encoder pretrained on Taobao carries to REES46, and damaged or foreign checkpoints are refused.
 */
class MaskedTransformerTest {
  private static final Map<String, String> SMALL = Map.of("window", "16", "epochs", "3", "batch", "32", "device", "cpu");
  @TempDir Path tmp;

  private static List<BehaviorEvent> taobao() throws IOException {
    assumeTrue(SharedData.root().isPresent(), "../shared/data is absent");
    return SharedData.events("taobao", "taobao/user_behavior_43users.csv");
  }

  private static Pipeline pipeline(Map<String, String> options) {
    return Pipeline.builder().detector("masked-transformer").options(SMALL).options(options).seed(5).build();
  }

  private static double[] scores(FittedPipeline f, List<BehaviorSequence> seqs) {
    return f.score(seqs).stream().mapToDouble(Score::value).toArray();
  }

  /** Stops a run once the checkpoint of {@code epoch} is written, as a crash or a kill would. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super("stopped after the checkpoint");
    }
  }

  @Test
  void pretrainingStoppedAfterAnEpochResumesFromItsCheckpointToTheSameModel() throws IOException {
    List<BehaviorEvent> events = taobao();
    Path whole = tmp.resolve("whole");
    Path stopped = tmp.resolve("stopped");
    List<BehaviorSequence> users = pipeline(Map.of()).sequences(events);
    double[] uninterrupted;
    try (FittedPipeline f = pipeline(Map.of("checkpoint-dir", whole.toString())).fit(users)) {
      uninterrupted = scores(f, users);
      assertEquals("0", f.provenance().trainingSummary().get("epochs-resumed"));
      assertTrue(Long.parseLong(f.provenance().trainingSummary().get("parameters")) > 100_000, f.provenance().trainingSummary().toString());
    }
    Pipeline interrupted = Pipeline.builder().detector("masked-transformer").options(SMALL)
        .option("checkpoint-dir", stopped.toString()).seed(5).listener((step, total, message) -> {
          if (step == 2) {
            throw new Stop();
          }
        }).build();
    assertThrows(Stop.class, () -> interrupted.fit(users).close());
    MaskedEventCheckpoint afterTwo = MaskedEventCheckpoint.read(stopped);
    assertEquals(2, afterTwo.meta().longValue("epochs-done"));
    try (FittedPipeline f = pipeline(Map.of("checkpoint-dir", stopped.toString())).fit(users)) {
      assertEquals("2", f.provenance().trainingSummary().get("epochs-resumed"));
      assertArrayEquals(uninterrupted, scores(f, users), "resumed after epoch 2 of 3");
    }
    assertEquals(MaskedEventCheckpoint.read(whole).weightsHash(), MaskedEventCheckpoint.read(stopped).weightsHash());
    assertTrue(Files.list(stopped).allMatch(p -> p.getFileName().toString().equals(MaskedEventCheckpoint.FILE)),
        "no temporary files left");

    // the same folder with other options is not mistaken for this run's
    ConfigurationException other = assertThrows(ConfigurationException.class,
        () -> pipeline(Map.of("checkpoint-dir", stopped.toString(), "mask-rate", "0.3")).fit(users).close());
    assertTrue(other.getMessage().contains("other data or options"), other.getMessage());
  }

  @Test
  void anEncoderPretrainedOnTaobaoCarriesToRees46WithActionsMatchedByType() throws IOException {
    List<BehaviorEvent> source = taobao();
    Path encoder = tmp.resolve("encoder");
    try (FittedPipeline f = pipeline(Map.of("checkpoint-dir", encoder.toString())).fitEvents(source)) {
      assertTrue(Files.exists(encoder.resolve(MaskedEventCheckpoint.FILE)));
    }
    List<BehaviorEvent> target = SharedData.events("rees46", "rees46/events_oct_sample.csv");
    Pipeline adapt = Pipeline.builder().detector("masked-transformer").grouping(Grouping.bySession()).options(SMALL)
        .option("pretrained", encoder.toString()).option("epochs", "1").seed(5).build();
    List<BehaviorSequence> sessions = adapt.sequences(target);
    try (FittedPipeline f = adapt.fit(sessions)) {
      Map<String, String> summary = f.provenance().trainingSummary();
      assertEquals(MaskedEventCheckpoint.read(encoder).weightsHash(), summary.get("pretrained.weights-sha256"), summary.toString());
      assertEquals(Integer.toString(source.size()), summary.get("pretrained.data.events"));
      double[] s = scores(f, sessions);
      assertTrue(java.util.Arrays.stream(s).allMatch(Double::isFinite));
      // the score names the parts given the context and alone (the target's own counts, measured at fit)
      String why = f.score(sessions.subList(0, 1)).get(0).explanation().contributions().get(0).reason();
      assertTrue(why.contains("gap z") && why.contains("gap alone z") && why.contains("category alone z"), why);
      f.save(tmp.resolve("bundle"));
      try (FittedPipeline back = FittedPipeline.load(tmp.resolve("bundle"))) {
        assertArrayEquals(s, scores(back, sessions));
      }
    }
    // REES46's view, cart and purchase meet Taobao's pv, cart and buy; remove_from_cart has no Taobao twin
    List<String> taobaoTokens = List.of("<pad>", "<unk>", "pv", "cart", "fav", "buy");
    int[] map = MaskedTransformerDetectorProvider.tokenMap(
        List.of("<pad>", "<unk>", "view", "cart", "remove_from_cart", "purchase"), taobaoTokens);
    assertArrayEquals(new int[] {0, 1, 2, 3, 1, 5}, map);
  }

  @Test
  void damagedForeignAndMissingCheckpointsAreRefusedWithWhatIsWrong() throws IOException {
    List<BehaviorEvent> events = taobao();
    Path encoder = tmp.resolve("encoder");
    pipeline(Map.of("checkpoint-dir", encoder.toString(), "epochs", "1")).fitEvents(events).close();
    Path file = encoder.resolve(MaskedEventCheckpoint.FILE);
    byte[] good = Files.readAllBytes(file);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 1;
    Files.write(file, bad);
    ModelFormatException damaged = assertThrows(ModelFormatException.class,
        () -> pipeline(Map.of("pretrained", encoder.toString())).fitEvents(events).close());
    assertTrue(damaged.getMessage().contains("is damaged: its SHA-256 does not match"), damaged.getMessage());
    Files.write(file, java.util.Arrays.copyOf(good, 100));
    assertTrue(assertThrows(ModelFormatException.class, () -> MaskedEventCheckpoint.read(encoder)).getMessage()
        .contains("is damaged"));
    Files.writeString(file, "user_id,item_id\n");
    assertTrue(assertThrows(ModelFormatException.class, () -> MaskedEventCheckpoint.read(encoder)).getMessage()
        .contains("is not a seqwatch encoder checkpoint"));
    ConfigurationException missing = assertThrows(ConfigurationException.class,
        () -> pipeline(Map.of("pretrained", tmp.resolve("nowhere").toString())).fitEvents(events).close());
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    assertNotEquals(0, good.length);
  }
}
