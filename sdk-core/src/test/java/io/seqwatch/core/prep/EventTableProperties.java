package io.seqwatch.core.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The column store loses nothing and cleans and groups as objects do: every event comes back equal,
 * and the rows {@link Preprocessor#order} keeps, grouped by {@link Grouping#group(EventTable, int[])},
 * are the sequences a plain object implementation gives (duplicates by {@link EventIdentity}, a
 * stable (time, line) sort, a map of sequence keys), on random logs full of ties, duplicates,
 * missing fields, non-ASCII ids, prices such as -0.0 and NaN, and attributes of every type.
 */
class EventTableProperties {
  private static final String[] ACTORS = {"u1", "u2", "ü3", "4", "s1"};
  // plain numbers: the table keeps them for ids in one go until the first other key (a text actor or session)
  private static final String[] NUMBER_ACTORS = {"4", "17", "1000000007", "0", "999999999999999999"};
  private static final String[] ACTIONS = {"pv", "cart", "buy", "click", "x-custom"};

  private static List<BehaviorEvent> log(long seed, int n) {
    return log(seed, n, ACTORS, new String[] {"s1", "s0", "s1", "s2", "s3"}, 67);
  }

  /**
   * A random log whose actors come from {@code actors}; {@code sessionShare} % of the events have a
   * session from {@code sessions}.
   */
  private static List<BehaviorEvent> log(long seed, int n, String[] actors, String[] sessions, int sessionShare) {
    Random r = new Random(seed);
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i > 0 && r.nextInt(6) == 0) { // an exact duplicate from another line
        BehaviorEvent d = events.get(r.nextInt(i));
        events.add(new BehaviorEvent(d.actorId(), d.sessionId(), d.timestampMillis(), d.action(), d.type(),
            d.itemId(), d.categoryId(), d.price(), 1 + r.nextInt(n), d.attributes()));
        continue;
      }
      String action = ACTIONS[r.nextInt(ACTIONS.length)];
      Attributes.Builder a = Attributes.builder();
      if (r.nextInt(3) == 0) {
        a.categorical(Attributes.DEVICE, "d" + r.nextInt(3));
      }
      if (r.nextInt(4) == 0) {
        a.text(Attributes.QUERY, r.nextBoolean() ? "shoes" : "schuhe grün");
      }
      if (r.nextInt(4) == 0) {
        a.numeric("item.rating", r.nextInt(3) * 0.5);
      }
      if (r.nextInt(8) == 0) {
        a.categorical("item.rating_band", "r" + r.nextInt(2)); // another name, another type
      }
      double[] prices = {0.0, -0.0, 9.99, Double.NaN};
      events.add(new BehaviorEvent(actors[r.nextInt(actors.length)],
          r.nextInt(100) >= sessionShare ? Optional.empty() : Optional.of(sessions[r.nextInt(sessions.length)]),
          1_000L * r.nextInt(40), action, r.nextInt(10) == 0 ? ActionType.OTHER : ActionType.fromAlias(action),
          r.nextInt(5) == 0 ? Optional.empty() : Optional.of("i" + r.nextInt(4)),
          r.nextInt(5) == 0 ? Optional.empty() : Optional.of("c" + r.nextInt(2)),
          r.nextInt(3) == 0 ? OptionalDouble.empty() : OptionalDouble.of(prices[r.nextInt(prices.length)]),
          r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(n), a.build()));
    }
    return events;
  }

  /** The object implementation the table must agree with. */
  private static List<BehaviorEvent> clean(List<BehaviorEvent> events, boolean dropDuplicates, long[] counts) {
    Set<EventIdentity> seen = new HashSet<>();
    Map<String, Long> latest = new HashMap<>();
    List<BehaviorEvent> out = new ArrayList<>();
    for (BehaviorEvent e : events) {
      if (dropDuplicates && !seen.add(EventIdentity.of(e))) {
        counts[0]++;
        continue;
      }
      Long last = latest.get(e.actorId());
      if (last != null && e.timestampMillis() < last) {
        counts[1]++;
      } else {
        latest.put(e.actorId(), e.timestampMillis());
      }
      counts[2] += e.categoryId().isEmpty() ? 1 : 0;
      counts[3] += e.itemId().isEmpty() ? 1 : 0;
      out.add(e);
    }
    out.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis).thenComparingLong(BehaviorEvent::line));
    return out;
  }

  private static List<BehaviorSequence> group(List<BehaviorEvent> events, Grouping g) {
    Map<String, List<BehaviorEvent>> groups = new LinkedHashMap<>();
    Map<String, long[]> bursts = new HashMap<>();
    for (BehaviorEvent e : events) {
      String stream = g.streamKey(e);
      long[] b = bursts.computeIfAbsent(stream, k -> new long[] {e.timestampMillis(), e.timestampMillis()});
      if (g.breaksBurst(b[0], e.timestampMillis())) {
        b[1] = e.timestampMillis();
      }
      b[0] = e.timestampMillis();
      groups.computeIfAbsent(g.burstKey(stream, b[1]), k -> new ArrayList<>()).add(e);
    }
    List<BehaviorSequence> out = new ArrayList<>();
    groups.forEach((k, v) -> out.add(new BehaviorSequence(k, v)));
    return out;
  }

  /** Equal lists, or a message naming the first difference (not two lists of hundreds of events). */
  private static <T> void assertSameList(List<T> expected, List<T> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), "at " + i);
    }
    assertEquals(expected.size(), actual.size(), "size");
  }

  @Property(tries = 200)
  void tableCleansAndGroupsAsObjectsDo(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n) {
    cleansAndGroupsAsObjects(log(seed, n));
  }

  /**
   * The same with actors that are plain numbers (held for ids in one go) and now and then a session
   * or a text actor (which gives the waiting rows their ids first).
   */
  @Property(tries = 100)
  void numberActorsCleanAndGroupAsObjectsDo(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 0, max = 3) int sessionShare) {
    Random r = new Random(seed);
    String[] actors = r.nextInt(4) == 0 ? java.util.stream.Stream.concat(java.util.Arrays.stream(NUMBER_ACTORS),
        java.util.stream.Stream.of("u" + r.nextInt(3))).toArray(String[]::new) : NUMBER_ACTORS;
    // sessions that are numbers too (one of them an actor's id), and now and then one that is not
    String[] sessions = r.nextBoolean() ? new String[] {"17", "90"} : new String[] {"17", "90", "s1"};
    cleansAndGroupsAsObjects(log(seed, n, actors, sessions, sessionShare));
  }

  private static void cleansAndGroupsAsObjects(List<BehaviorEvent> events) {
    int n = events.size();
    EventTable table = EventTable.of(events);
    for (int i = 0; i < n; i++) {
      assertEquals(events.get(i), table.event(i));
    }
    table.trim();
    for (boolean drop : new boolean[] {true, false}) {
      long[] counts = new long[4];
      List<BehaviorEvent> expected = clean(events, drop, counts);
      Preprocessor p = drop ? Preprocessor.standard() : Preprocessor.keepDuplicates();
      List<PreprocessReport> report = new ArrayList<>();
      int[] rows = p.order(table, report::add);
      List<BehaviorEvent> cleaned = new ArrayList<>();
      for (int row : rows) {
        cleaned.add(events.get(row));
      }
      assertSameList(expected, cleaned);
      assertEquals(new PreprocessReport(n, expected.size(), counts[0], counts[1], counts[2], counts[3]), report.get(0));
      assertEquals(expected, p.apply(events));
      for (String spec : new String[] {"actor", "session", "gap:5s"}) {
        Grouping g = Grouping.parse(spec);
        List<BehaviorSequence> want = group(expected, g);
        assertEquals(want, g.group(table, rows), spec);
        assertEquals(want, g.group(expected), spec);
        assertEquals(want, g.group(p, events), spec);
      }
    }
  }

  @Property(tries = 5)
  void pagesKeepEveryValueAcrossPageBoundaries(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 3 * IntPages.SIZE + 77;
    List<BehaviorEvent> events = new ArrayList<>();
    long line = 2; // a header line, then a reject now and then: line - row is constant over most pages
    for (int i = 0; i < n; i++) {
      line += i == 100 ? 2 : 1;
      boolean sessions = i >= IntPages.SIZE && i < 2 * IntPages.SIZE + 5; // only the second page and a bit
      Attributes a = i % 7 == 0 ? Attributes.builder().categorical(Attributes.DEVICE, "d" + (i % 3)).build()
          : Attributes.EMPTY;
      events.add(new BehaviorEvent("u" + r.nextInt(1000), sessions ? Optional.of("s" + i / 100) : Optional.empty(),
          1_000L * i, "pv", ActionType.VIEW, Optional.of("i" + r.nextInt(500)), Optional.of("c"),
          i > 2 * IntPages.SIZE ? OptionalDouble.of(i) : OptionalDouble.empty(), line, a));
    }
    EventTable table = EventTable.of(events);
    // actor, time, item and device in arrays (20 bytes a row); action, category and line one value a page
    // (the line's first page aside), sessions and prices on a page or two: about 27 bytes a row where
    // every column in arrays would be 48
    long held = table.heapBytes();
    assertTrue(held < n * 29L, "bytes per row " + (double) held / n);
    for (int i = 0; i < n; i++) {
      assertEquals(events.get(i), table.event(i));
    }
    // reading the rows back adds at most each dictionary's cache of decoded strings (4,096 references)
    assertTrue(table.heapBytes() <= held + 5 * 4L * 4_096, "after reading " + table.heapBytes() + " vs " + held);
  }

  @Property(tries = 20)
  void sortsLongShuffledLogsAndLinesPastTheIntRange(@ForAll long seed) {
    Random r = new Random(seed);
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) { // past the insertion-sorted runs: the merge passes
      events.add(BehaviorEvent.of("u" + r.nextInt(50), r.nextInt(500), "pv", "i" + r.nextInt(9), "c"));
      if (i == 4_000) {
        BehaviorEvent e = events.get(i);
        events.set(i, new BehaviorEvent(e.actorId(), e.sessionId(), e.timestampMillis(), e.action(), e.type(),
            e.itemId(), e.categoryId(), e.price(), 3_000_000_000L));
      }
    }
    long[] counts = new long[4];
    List<BehaviorEvent> expected = clean(events, true, counts);
    EventTable table = EventTable.of(events);
    assertEquals(3_000_000_000L, table.event(4_000).line());
    List<BehaviorEvent> cleaned = new ArrayList<>();
    for (int row : Preprocessor.standard().order(table, x -> { })) {
      cleaned.add(events.get(row));
    }
    assertEquals(expected, cleaned);
  }

  /**
   * A table as a reader fills it (lines in row order, several rows from one line now and then) is
   * sorted through packed (time, row) keys: the same order as the object sort, with times before 1970,
   * ties across many runs, and spans too long to pack (the merge sort then).
   */
  @Property(tries = 30)
  void sortsReadTablesInTimeThenLineOrder(@ForAll long seed, @ForAll @IntRange(min = 2, max = 3_000) int n) {
    Random r = new Random(seed);
    long[] spans = {60_000L, 1L << 40, Long.MAX_VALUE / 4};
    long span = spans[r.nextInt(spans.length)];
    List<BehaviorEvent> events = new ArrayList<>();
    long line = 1;
    long time = -span / 2;
    for (int i = 0; i < n; i++) {
      line += r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(2);
      time = r.nextInt(50) == 0 ? -span / 2 + (long) (r.nextDouble() * span) // a new run starts
          : time + (r.nextInt(3) == 0 ? 0 : r.nextInt(2_000)) - (r.nextInt(8) == 0 ? 3_000 : 0);
      events.add(new BehaviorEvent("u" + r.nextInt(20), Optional.empty(), time, "pv", ActionType.VIEW,
          Optional.of("i" + r.nextInt(30)), Optional.of("c"), OptionalDouble.empty(), line));
    }
    long[] counts = new long[4];
    List<BehaviorEvent> expected = clean(events, true, counts);
    List<BehaviorEvent> cleaned = new ArrayList<>();
    for (int row : Preprocessor.standard().order(EventTable.of(events), x -> { })) {
      cleaned.add(events.get(row));
    }
    assertSameList(expected, cleaned);
  }
}
