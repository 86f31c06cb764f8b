package io.seqwatch.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.ReadSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
  @TempDir Path tmp;

  @Test
  void seededGenerationIsRepeatableAndLabelsEveryKind() {
    SimulatedData a = Simulator.builder().users(300).anomalyRate(0.1).seed(5).build().generate();
    SimulatedData b = Simulator.builder().users(300).anomalyRate(0.1).seed(5).build().generate();
    assertEquals(a.events(), b.events());
    assertEquals(300, a.labels().size());
    Map<String, Integer> kinds = new HashMap<>();
    a.labels().asMap().forEach((k, v) -> {
      if (v) {
        kinds.merge(a.labels().kind(k).orElseThrow(), 1, Integer::sum);
      }
    });
    assertEquals(6, kinds.size());
    assertEquals(30, kinds.values().stream().mapToInt(Integer::intValue).sum());
    for (int i = 1; i < a.events().size(); i++) {
      assertTrue(a.events().get(i - 1).timestampMillis() <= a.events().get(i).timestampMillis());
    }
  }

  @Test
  void writtenFilesReadBackAsTaobaoWithoutRejects() throws IOException {
    SimulatedData d = Simulator.builder().users(100).seed(1).build().generate();
    d.write(tmp);
    List<BehaviorEvent> back = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("taobao").read(tmp.resolve("events.csv"), back::add, r -> {
      throw new AssertionError(r.toString());
    });
    assertEquals(d.events().size(), s.accepted());
    assertEquals(d.events(), back.stream().map(e -> BehaviorEvent.of(e.actorId(), e.timestampMillis(), e.action(),
        e.itemId().orElseThrow(), e.categoryId().orElseThrow())).toList());
    assertEquals("key,label,kind", Files.readAllLines(tmp.resolve("labels.csv")).get(0));
  }
}
