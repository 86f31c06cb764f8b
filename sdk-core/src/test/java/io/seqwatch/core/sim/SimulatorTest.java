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

  @Test
  void withSignalsUsersGetDevicesAddressesUserAgentsAndSearchesThatTellBotsFromPeople() throws IOException {
    SimulatedData plain = Simulator.builder().users(400).anomalyRate(0.1).seed(5).build().generate();
    SimulatedData rich = Simulator.builder().users(400).anomalyRate(0.1).seed(5).signals(true).build().generate();
    assertEquals(plain.labels().asMap(), rich.labels().asMap(), "the same users and kinds");
    assertEquals(rich.events(), Simulator.builder().users(400).anomalyRate(0.1).seed(5).signals(true).build()
        .generate().events(), "seeded");
    assertTrue(rich.events().stream().allMatch(e -> e.attributes().has(io.seqwatch.api.Attributes.IP)
        && e.attributes().has(io.seqwatch.api.Attributes.USER_AGENT)));
    long searches = rich.events().stream().filter(e -> e.type() == io.seqwatch.api.ActionType.SEARCH).count();
    assertTrue(searches > 100, searches + " searches");
    Path file = rich.write(tmp.resolve("rich"));
    assertEquals("events.jsonl", file.getFileName().toString());
    List<BehaviorEvent> back = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("jsonl").read(file, back::add, r -> { });
    assertEquals(rich.events().size(), s.accepted());
    assertEquals(0, s.rejected());
    // the features over the signals: bots type their queries at machine speed, people do not
    io.seqwatch.core.features.BehaviorFeatureExtractorProvider p = new io.seqwatch.core.features.BehaviorFeatureExtractorProvider();
    Map<String, List<BehaviorEvent>> byUser = new HashMap<>();
    back.forEach(e -> byUser.computeIfAbsent(e.actorId(), k -> new ArrayList<>()).add(e));
    List<io.seqwatch.api.BehaviorSequence> seqs = new ArrayList<>();
    byUser.forEach((k, v) -> seqs.add(new io.seqwatch.api.BehaviorSequence(k, v)));
    io.seqwatch.spi.FeatureExtractor x = p.fit(io.seqwatch.spi.Options.of(p.options(), Map.of()), seqs);
    assertEquals("device,ip,user-agent,query", x.fittedOptions().get("signals"));
    double people = 0;
    double bots = 0;
    int nPeople = 0;
    int nBots = 0;
    for (io.seqwatch.api.BehaviorSequence q : seqs) {
      double fast = x.extract(q).get("fast_query_share");
      String kind = rich.labels().kind(q.key()).orElse("");
      if (kind.isEmpty()) {
        people += fast;
        nPeople++;
      } else if (kind.equals("click_bot") || kind.equals("scraper")) {
        bots += fast;
        nBots++;
      }
    }
    assertTrue(people / nPeople < 0.05 && bots / nBots > 0.5, "people " + people / nPeople + ", bots " + bots / nBots);
  }
}
