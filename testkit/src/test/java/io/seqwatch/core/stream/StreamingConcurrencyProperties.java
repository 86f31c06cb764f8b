package io.seqwatch.core.stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.testkit.SharedData;
import io.seqwatch.testkit.StreamingStress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The streaming scorer's accounting under any interleaving of four feeding threads, on the real
 * Taobao log: with random eviction bounds, lateness, idle expiry, batch sizes and out-of-order
 * delivery, {@code events = scored + late + duplicates + buffered} and nothing stays buffered after
 * a flush; without eviction and disorder, the alerts and scores of one thread.
 */
class StreamingConcurrencyProperties {
  private static final int[] MAX_ACTORS = {1, 2, 7, 100, 1_000, 1_000_000};
  private static List<BehaviorEvent> events;
  private static Map<String, FittedPipeline> pipelines;

  @BeforeContainer
  static void train() throws Exception {
    Optional<Path> log = SharedData.file("taobao/user_behavior_2h.csv");
    if (log.isEmpty()) {
      return;
    }
    List<BehaviorEvent> all = new ArrayList<>();
    EventReaders.forFormat("taobao").read(log.get(), all::add, r -> {});
    events = Preprocessor.keepDuplicates().apply(all.subList(0, 6_000));
    pipelines = Map.of(
        "features", Pipeline.builder().detector("test-distance").threshold("contamination:0.05").build()
            .fitEvents(all.subList(6_000, 30_000)),
        "events", Pipeline.builder().detector("test-unigram").threshold("contamination:0.05").build()
            .fitEvents(all.subList(6_000, 30_000)));
  }

  @AfterContainer
  static void close() {
    if (pipelines != null) {
      pipelines.values().forEach(FittedPipeline::close);
    }
  }

  @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
  void fourThreadsLoseNothingUnderEvictionLatenessAndBatches(@ForAll @IntRange(min = 0, max = 5) int bound,
      @ForAll @IntRange(min = 0, max = 60) int latenessSeconds, @ForAll boolean expire,
      @ForAll @IntRange(min = 1, max = 50) int batch, @ForAll @IntRange(min = 0, max = 20) int jitter,
      @ForAll boolean features, @ForAll @LongRange(min = 0, max = 1_000) long seed) throws Exception {
    assumeTrue(events != null, "../shared/data/taobao is absent");
    StreamingStress.Outcome o = StreamingStress.check(pipelines.get(features ? "features" : "events"), events,
        new StreamingStress.Setup(4, MAX_ACTORS[bound], Duration.ofSeconds(latenessSeconds),
            expire ? Duration.ofMinutes(10) : Duration.ZERO, batch, jitter, seed));
    if (bound == MAX_ACTORS.length - 1 && !expire) {
      org.junit.jupiter.api.Assertions.assertEquals(0, o.stats().evicted());
    }
  }
}
