package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Counting transitions by the pair of actions gives what a tree map keyed by {@code previous + "\0"
 * + action} gives: the same keys in the same order with the same counts, the same refusals past the
 * limit, and the same state after a snapshot's keys are put back; actions that are prefixes of one
 * another, equal strings that are different objects, and a NUL inside an action included.
 */
class TransitionCountsProperties {
  private static final String[] ACTIONS = {"pv", "p", "pv\u0000x", "cart", "", "buy", "pvv"};

  @Property(tries = 200)
  void countsAsATreeMapOfConcatenatedKeys(@ForAll @LongRange(min = 0, max = 100_000) long seed,
      @ForAll @IntRange(min = 0, max = 300) int events, @ForAll @IntRange(min = 1, max = 60) int limit) {
    Random r = new Random(seed);
    TransitionCounts counts = new TransitionCounts();
    TreeMap<String, Integer> expected = new TreeMap<>();
    String previous = null;
    for (int i = 0; i < events; i++) {
      String action = new String(ACTIONS[r.nextInt(ACTIONS.length)]); // equal, never the same object
      if (previous != null) {
        String key = previous + "\u0000" + action;
        int want = expected.containsKey(key) || expected.size() < limit ? expected.merge(key, 1, Integer::sum) : 0;
        assertEquals(want, counts.increment(previous, action, limit), "event " + i);
      }
      previous = action;
    }
    assertSame(expected, counts);
    TransitionCounts read = new TransitionCounts();
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(expected.entrySet());
    java.util.Collections.shuffle(entries, r);
    for (Map.Entry<String, Integer> e : entries) {
      read.put(e.getKey(), e.getValue());
    }
    assertSame(expected, read);
  }

  private static void assertSame(TreeMap<String, Integer> expected, TransitionCounts counts) {
    assertEquals(expected.size(), counts.size());
    long chars = 0;
    int i = 0;
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      assertEquals(e.getKey(), counts.key(i));
      assertEquals(e.getValue(), counts.count(i));
      chars += e.getKey().length();
      i++;
    }
    assertEquals(chars, counts.chars());
  }
}
