package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.core.prep.EventTable;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.prep.TableSequences;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The behaviour features read from a table's columns ({@link BehaviorFeatureExtractor#extract(TableSequences,
 * int)}) equal the features of the built sequence to the last bit, on random logs: ties in time,
 * bursts inside a minute, missing items and categories, free-text actions cut to equal prefixes,
 * actions that sort as prefixes of each other, more raw actions than the column reading covers, a
 * NUL in an action, zones with and without a fixed offset, night hours that wrap past midnight, and
 * sequences past the distinct counters' exact range.
 */
class ColumnFeaturesProperties {
  private static final String LONG = "x".repeat(300);
  private static final String[] ACTIONS = {"pv", "cart", "buy", "fav", "pv2", "p", "search", LONG + "a", LONG + "b",
      "\u00e4nderung"};

  private static List<BehaviorEvent> log(long seed, int n, int actions, boolean nul, int actors) {
    Random r = new Random(seed);
    List<BehaviorEvent> events = new ArrayList<>();
    long time = 1_511_000_000_000L;
    for (int i = 0; i < n; i++) {
      time += r.nextInt(4) == 0 ? 0 : r.nextInt(3) == 0 ? r.nextInt(3_000) : r.nextInt(9_000_000);
      String action = actions > ACTIONS.length ? "a" + r.nextInt(actions) : ACTIONS[r.nextInt(actions)];
      if (nul && r.nextInt(9) == 0) {
        action = "p\u0000v";
      }
      events.add(new BehaviorEvent("u" + r.nextInt(actors), Optional.empty(), time, action,
          ActionType.values()[r.nextInt(ActionType.values().length)],
          r.nextInt(6) == 0 ? Optional.empty() : Optional.of("i" + r.nextInt(r.nextBoolean() ? 5 : 5_000)),
          r.nextInt(6) == 0 ? Optional.empty() : Optional.of("c" + r.nextInt(7)), OptionalDouble.empty(), i + 1L,
          Attributes.EMPTY));
    }
    return events;
  }

  private static void assertColumnsMatchObjects(List<BehaviorEvent> events, Grouping grouping, ZoneId zone,
      int nightStart, int nightEnd) {
    EventTable table = EventTable.of(events);
    TableSequences sequences = grouping.group(table, Preprocessor.standard().order(table, r -> { }));
    BehaviorFeatureExtractor fx = new BehaviorFeatureExtractor(zone, nightStart, nightEnd);
    for (TableSequences list : List.of(sequences, sequences.subList(sequences.size() / 3, sequences.size()))) {
      for (int i = 0; i < list.size(); i++) {
        FeatureVector objects = fx.extract(list.get(i));
        FeatureVector columns = fx.extract(list, i);
        assertEquals(objects.key(), columns.key());
        assertArrayEquals(objects.values(), columns.values(), "sequence " + list.get(i).key()); // bit for bit
      }
    }
  }

  @Property(tries = 150)
  void columnFeaturesEqualTheFeaturesOfTheBuiltSequence(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int n,
      @ForAll @IntRange(min = 1, max = 24) int actions, @ForAll boolean nul, @ForAll @IntRange(min = 1, max = 30) int actors,
      @ForAll @IntRange(min = 0, max = 3) int zone, @ForAll @IntRange(min = 0, max = 23) int nightStart,
      @ForAll @IntRange(min = 0, max = 24) int nightEnd, @ForAll boolean gap) {
    ZoneId z = List.of(ZoneId.of("UTC"), ZoneId.of("+05:30"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/St_Johns"))
        .get(zone);
    assertColumnsMatchObjects(log(seed, n, actions, nul, actors), gap ? Grouping.byGap(Duration.ofMinutes(30))
        : Grouping.byActor(), z, nightStart, nightEnd);
  }

  @Property(tries = 3)
  void sequencesPastTheExactDistinctCountsAgree(@ForAll long seed) {
    assertColumnsMatchObjects(log(seed, 4_200, 4, false, 1), Grouping.byActor(), ZoneId.of("UTC"), 0, 6);
  }
}
