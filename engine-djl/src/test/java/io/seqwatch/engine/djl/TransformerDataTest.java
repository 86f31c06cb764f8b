package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.ReadSummary;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on REES46, which carries prices, brands and categories, grouped by session; and
 * on traffic with every attribute kind, where a user agent that changes mid-sequence is a surprise.
 */
class TransformerDataTest {
  @TempDir Path tmp;

  @Test
  void aUserAgentThatChangesMidSequenceIsSurprisingAndTheReasonNamesIt() {
    List<BehaviorEvent> events = io.seqwatch.testkit.MultimodalEvents.of(80, 11);
    Pipeline p = Pipeline.builder().detector("transformer").option("embedding", "16").option("epochs", "3")
        .option("attribute-surprise", "true").option("device", "cpu").build();
    List<BehaviorSequence> users = p.sequences(events);
    try (FittedPipeline fitted = p.fit(users)) {
      assertTrue(fitted.provenance().trainingSummary().get("modalities").contains("context (user_agent)"),
          fitted.provenance().trainingSummary().toString());
      int raised = 0;
      int compared = 0;
      for (BehaviorSequence u : users) {
        List<BehaviorEvent> ev = u.events();
        if (ev.size() < 8 || ev.stream().noneMatch(e -> e.attributes().has("user_agent"))) {
          continue;
        }
        List<BehaviorEvent> taken = new ArrayList<>(ev.subList(0, ev.size() / 2));
        for (BehaviorEvent e : ev.subList(ev.size() / 2, ev.size())) { // a script takes over the session
          taken.add(e.withAttributes(e.attributes().with(io.seqwatch.api.Attributes.builder()
              .categorical("user_agent", "python-requests/2.32.3").build())));
        }
        Score before = fitted.score(u);
        Score after = fitted.score(new BehaviorSequence(u.key(), taken));
        compared++;
        raised += after.value() > before.value() + 2 ? 1 : 0; // nats
        if (compared == 1) {
          assertTrue(after.explanation().summary().contains("its user_agent has probability"),
              after.explanation().summary());
        }
        if (compared == 20) {
          break;
        }
      }
      assertEquals(20, compared);
      assertTrue(raised >= 18, raised + " of " + compared + " sequences scored 2 nats higher with the takeover");
    }
  }

  @Test
  void runsOnRees46SessionsWithPricesAndExplainsWithAttention() throws IOException {
    Optional<Path> f = SharedData.file("rees46/events_oct_sample.csv");
    assumeTrue(f.isPresent(), "../shared/data/rees46 is absent");
    List<BehaviorEvent> events = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("rees46").read(f.get(), events::add, r -> {});
    assertEquals(s.read(), s.accepted() + s.rejected());
    Pipeline p = Pipeline.builder().detector("transformer").grouping(Grouping.bySession())
        .option("embedding", "16").option("window", "6").option("epochs", "4").option("device", "cpu").build();
    List<BehaviorSequence> sessions = p.sequences(events);
    assertTrue(sessions.size() > 1000, sessions.size() + " sessions");
    assertTrue(events.stream().filter(e -> e.price().isPresent()).count() > 4000, "prices are fused");
    try (FittedPipeline fitted = p.fit(sessions)) {
      List<Score> scores = fitted.score(sessions);
      assertTrue(scores.stream().allMatch(x -> Double.isFinite(x.value())));
      Score top = scores.stream().filter(x -> x.explanation().summary().contains("attended most to"))
          .max(Comparator.comparingDouble(Score::value)).orElseThrow();
      assertTrue(top.explanation().summary().matches(".*event \\d+ '[a-z_]+(@[^']+)?' has probability .*"), top.explanation().summary());
      fitted.save(tmp.resolve("m"));
      try (FittedPipeline back = FittedPipeline.load(tmp.resolve("m"))) {
        assertEquals(scores, back.score(sessions));
      }
    }
  }

  /**
   * REES46's own brand and category code plus an item catalogue joined as a side table (a price
   * band and a two-number item vector per product, derived here from the log itself): the transformer
   * fuses them as the item modality, says so in its training summary, and its reasons name the
   * modalities it weighed.
   */
  @Test
  void fusesRees46BrandCategoryCodeAndAnItemTableAndNamesTheModalitiesWeighed() throws IOException {
    Optional<Path> f = SharedData.file("rees46/events_oct_sample.csv");
    assumeTrue(f.isPresent(), "../shared/data/rees46 is absent");
    List<BehaviorEvent> read = new ArrayList<>();
    EventReaders.forFormat("rees46").read(f.get(), read::add, r -> {});
    java.util.Map<String, Double> price = new java.util.TreeMap<>();
    for (BehaviorEvent e : read) {
      if (e.itemId().isPresent() && e.price().isPresent()) {
        price.merge(e.itemId().get(), e.price().getAsDouble(), Math::max);
      }
    }
    StringBuilder items = new StringBuilder("item_id,price_band,embedding\n");
    price.forEach((item, p) -> items.append(item).append(',').append(p < 50 ? "low" : p < 300 ? "mid" : "high")
        .append(',').append(String.format(java.util.Locale.ROOT, "%.4f %.4f", Math.log1p(p),
            (item.hashCode() & 0xFF) / 255.0)).append('\n'));
    Path table = tmp.resolve("items.csv");
    java.nio.file.Files.writeString(table, items);
    io.seqwatch.core.io.SideTable catalogue = io.seqwatch.core.io.SideTable.read(table,
        io.seqwatch.core.io.SideTable.On.ITEM, 100_000, r -> {});
    List<BehaviorEvent> events = read.stream().map(catalogue::join).toList();
    assertTrue(catalogue.hits() > 4000, catalogue.statsText());
    Pipeline p = Pipeline.builder().detector("transformer").grouping(Grouping.bySession())
        .option("embedding", "16").option("window", "6").option("epochs", "2").option("device", "cpu").build();
    try (FittedPipeline fitted = p.fitEvents(events)) {
      String modalities = fitted.provenance().trainingSummary().get("modalities");
      assertTrue(modalities.matches(".*item \\([^)]*brand[^)]*category_code[^)]*item\\.price_band[^)]*\\).*"), modalities);
      List<Score> scores = fitted.scoreEvents(events);
      String reason = scores.stream().max(Comparator.comparingDouble(Score::value)).orElseThrow().explanation().summary();
      System.out.println("REES46 + item table: modalities fused: " + modalities + "; top reason: " + reason);
      assertTrue(reason.matches("(?s).*modalities weighed: [a-z]+ [0-9.]+.*item [0-9.]+.*|(?s).*modalities weighed: item [0-9.]+.*"),
          reason);
    }
  }
}
