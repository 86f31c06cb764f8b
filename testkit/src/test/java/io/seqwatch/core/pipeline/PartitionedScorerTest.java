package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionedScorerTest {
  @TempDir Path dir;

  private static List<BehaviorEvent> taobao() throws IOException {
    return SharedData.events("taobao", "taobao/user_behavior_2h.csv");
  }


  private List<Score> partitioned(FittedPipeline p, List<BehaviorEvent> events, int partitions) throws IOException {
    List<Score> out = new ArrayList<>();
    List<String> told = new ArrayList<>();
    try (PartitionedScorer s = PartitionedScorer.builder(p).partitions(partitions).threads(2).spillDirectory(dir)
        .progress((done, of, sequences) -> told.add(done + "/" + of + ":" + sequences)).build()) {
      events.forEach(s::accept);
      PartitionedScorer.Summary sum = s.finish(out::add);
      // progress after each partition, the last with every sequence
      assertEquals(partitions, told.size(), told.toString());
      assertEquals(partitions + "/" + partitions + ":" + out.size(), told.get(told.size() - 1));
      assertEquals(events.size(), sum.events());
      assertEquals(out.size(), sum.sequences());
      assertEquals(partitions, sum.partitions());
      if (partitions > 1) {
        assertTrue(sum.spilledBytes() > 0 && sum.largestPartition() < events.size(), sum.toString());
      }
      assertThrows(IllegalStateException.class, () -> s.accept(events.get(0)));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count(), "the spill folder is gone after close");
    }
    return out;
  }

  @Test
  void partitionsOfTheRealTaobaoLogScoreAsTheWholeLogInMemory() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_2h.csv").isPresent(), "../shared/data is absent");
    List<BehaviorEvent> events = taobao();
    for (String grouping : List.of("actor", "gap:5m")) {
      try (FittedPipeline p = Pipeline.builder().detector("test-distance").grouping(Grouping.parse(grouping)).build()
          .fitEvents(events)) {
        List<Score> whole = p.scoreEvents(events, 1);
        assertTrue(whole.stream().anyMatch(Score::anomalous), grouping);
        // scores, decisions, reasons and order, for any number of partitions
        assertEquals(whole, partitioned(p, events, 1), grouping);
        assertEquals(whole, partitioned(p, events, 7), grouping);
        // the log in another order (as a file not sorted by time would be) gives the same scores
        List<BehaviorEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(whole, partitioned(p, shuffled, 16), grouping);
      }
    }
  }

  @Test
  void aReaderFeedingTheScorersInputScoresAsTheEventsDo() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_2h.csv").isPresent(), "../shared/data is absent");
    Path file = SharedData.file("taobao/user_behavior_2h.csv").get();
    List<BehaviorEvent> events = taobao();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(events)) {
      List<Score> whole = p.scoreEvents(events, 1);
      // one partition: the reader adds plain rows to the scorer's column store; seven: the spill files
      for (int partitions : new int[] {1, 7}) {
        List<Score> out = new ArrayList<>();
        List<Long> rejected = new ArrayList<>();
        try (PartitionedScorer s = PartitionedScorer.builder(p).partitions(partitions).threads(2).spillDirectory(dir)
            .build()) {
          EventReaders.forFormat("taobao").read(file, s.input(), r -> rejected.add(r.line()));
          PartitionedScorer.Summary sum = s.finish(out::add);
          assertEquals(events.size(), sum.events(), partitions + " partitions");
        }
        assertEquals(List.of(96_169L), rejected); // the truncated last row
        assertEquals(whole, out, partitions + " partitions");
      }
    }
  }

  @Test
  void eventsStayInMemoryWithinTheBoundAndSpillPastIt() throws IOException {
    assumeTrue(SharedData.file("taobao/user_behavior_2h.csv").isPresent(), "../shared/data is absent");
    Path file = SharedData.file("taobao/user_behavior_2h.csv").get();
    List<BehaviorEvent> events = taobao();
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(events)) {
      List<Score> whole = p.scoreEvents(events, 1);
      // {bound, partitions asked} -> partitions used: a bound the 96k events pass (looked at after
      // 65,536) spills the events held and the rest into at least two partitions; a high one never
      for (long[] c : new long[][] {{1, 1, 2}, {1, 5, 5}, {Long.MAX_VALUE / 2, 5, 1}}) {
        for (boolean reader : new boolean[] {true, false}) {
          List<Score> out = new ArrayList<>();
          PartitionedScorer.Summary sum;
          try (PartitionedScorer s = PartitionedScorer.builder(p).partitions((int) c[1]).spillAbove(c[0]).threads(2)
              .spillDirectory(dir).build()) {
            if (reader) {
              EventReaders.forFormat("taobao").read(file, s.input(), r -> { });
            } else {
              events.forEach(s::accept);
            }
            sum = s.finish(out::add);
          }
          String what = java.util.Arrays.toString(c) + (reader ? " through the reader" : " as events");
          assertEquals(whole, out, what);
          assertEquals(events.size(), sum.events(), what);
          assertEquals(c[2], sum.partitions(), what);
          assertEquals(c[2] > 1, sum.spilledBytes() > 0, what);
        }
      }
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> PartitionedScorer.builder(p).spillAbove(0));
      assertTrue(e.getMessage().contains("must be positive: 0 bytes"), e.getMessage());
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count(), "the spill folders are gone after close");
    }
  }

  @Test
  void partitionsFollowTheInputSizeAndOptionsAreChecked() {
    assertEquals(1, PartitionedScorer.partitionsFor(0));
    assertEquals(1, PartitionedScorer.partitionsFor(PartitionedScorer.PARTITION_BYTES));
    assertEquals(2, PartitionedScorer.partitionsFor(PartitionedScorer.PARTITION_BYTES + 1));
    assertEquals(16, PartitionedScorer.partitionsFor(1L << 30));
    assertEquals(PartitionedScorer.MAX_PARTITIONS, PartitionedScorer.partitionsFor(Long.MAX_VALUE));
    try (FittedPipeline p = Pipeline.builder().detector("test-distance").build().fitEvents(
        io.seqwatch.core.sim.Simulator.builder().users(50).seed(1).build().generate().events())) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> PartitionedScorer.builder(p).partitions(0));
      assertTrue(e.getMessage().contains("between 1 and 4096: 0"), e.getMessage());
      assertThrows(ConfigurationException.class, () -> PartitionedScorer.builder(p).threads(0));
      assertFalse(dir.toFile().list().length > 0);
    }
  }
}
