package io.seqwatch.core.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A seeded sample of whole actors that does not depend on the input's order. */
class ActorSampleTest {
  private static List<BehaviorEvent> log(int actors, long seed) {
    Random r = new Random(seed);
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < actors * 5; i++) {
      events.add(BehaviorEvent.of("a" + r.nextInt(actors), 1_700_000_000_000L + i * 1_000L, "pv", "i" + i, "c"));
    }
    return events;
  }

  private static Set<String> actors(List<BehaviorEvent> events) {
    Set<String> s = new HashSet<>();
    events.forEach(e -> s.add(e.actorId()));
    return s;
  }

  @Test
  void aCountKeepsThatManyWholeActorsWhateverTheOrder() {
    List<BehaviorEvent> events = log(2_000, 1);
    ActorSample a = ActorSample.parse("300", 7);
    events.forEach(a);
    List<BehaviorEvent> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(2));
    ActorSample b = ActorSample.parse("300", 7);
    shuffled.forEach(b);
    assertEquals(300, a.keptActors());
    assertEquals(actors(a.events()), actors(b.events()), "the same actors in any order");
    Map<String, Integer> all = new HashMap<>();
    events.forEach(e -> all.merge(e.actorId(), 1, Integer::sum));
    Map<String, Integer> kept = new HashMap<>();
    a.events().forEach(e -> kept.merge(e.actorId(), 1, Integer::sum));
    kept.forEach((k, v) -> assertEquals(all.get(k), v, "every event of a kept actor: " + k));
    assertEquals(a.keptEvents(), a.events().size());
    List<BehaviorEvent> inOrder = a.events();
    for (int i = 1; i < inOrder.size(); i++) {
      assertTrue(inOrder.get(i - 1).timestampMillis() <= inOrder.get(i).timestampMillis(), "arrival order");
    }
    ActorSample other = ActorSample.parse("300", 8);
    events.forEach(other);
    assertTrue(!actors(other.events()).equals(actors(a.events())), "another seed, another sample");
  }

  @Test
  void evictedActorsRowsAreDroppedAsTheyPileUpAndTheSampleIsTheSame() {
    List<BehaviorEvent> events = log(5_000, 3);
    ActorSample plain = ActorSample.parse("200", 9);
    ActorSample compacting = ActorSample.ofActors(200, 9, 16);
    int most = 0;
    for (BehaviorEvent e : events) {
      plain.accept(e);
      compacting.accept(e);
      most = Math.max(most, compacting.heldRows());
      assertTrue(compacting.heldRows() <= 2 * compacting.keptEvents() + 17, "held " + compacting.heldRows()
          + " for " + compacting.keptEvents() + " kept");
    }
    assertTrue(plain.heldRows() > compacting.heldRows() && plain.heldRows() > plain.keptEvents(),
        "without compaction the evicted actors' rows stay: " + plain.heldRows() + " for " + plain.keptEvents());
    assertEquals(plain.events(), compacting.events());
    assertEquals(compacting.keptEvents(), compacting.table().size());
    assertEquals(compacting.events(), java.util.stream.IntStream.range(0, compacting.table().size())
        .mapToObj(compacting.table()::event).toList(), "the table is the events, in arrival order");
  }

  @Test
  void aShareKeepsAboutThatShareAndTheSameActorsAsALargerShareDoes() {
    List<BehaviorEvent> events = log(5_000, 3);
    ActorSample tenth = ActorSample.parse("0.1", 5);
    ActorSample fifth = ActorSample.ofShare(0.2, 5);
    events.forEach(tenth);
    events.forEach(fifth);
    int total = actors(events).size();
    assertEquals(0.1, tenth.keptActors() / (double) total, 0.02);
    assertTrue(actors(fifth.events()).containsAll(actors(tenth.events())), "nested samples");
    assertEquals("sampled " + String.format(java.util.Locale.ROOT, "%,d", tenth.keptActors()) + " actors ("
        + String.format(java.util.Locale.ROOT, "%,d", tenth.keptEvents()) + " events of 25,000 read)", tenth.text());
  }

  @Test
  void badSpecsAreRefused() {
    for (String bad : new String[] {"0", "1.5", "-3", "ten", "0.0"}) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> ActorSample.parse(bad, 1));
      assertTrue(e.getMessage().contains("sample '" + bad + "'") || e.getMessage().contains("at least one"), e.getMessage());
    }
  }
}
