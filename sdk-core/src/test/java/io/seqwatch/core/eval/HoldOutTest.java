package io.seqwatch.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldOutTest {
  @Test
  void halvesDependOnTheKeyNotTheOrderAndLoseNothing() {
    List<BehaviorSequence> all = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      all.add(new BehaviorSequence("u" + i, List.of(BehaviorEvent.of("u" + i, 1_600_000_000_000L, "pv", "i", "c"))));
    }
    HoldOut.Split s = HoldOut.halves(all);
    assertEquals(all.size(), s.train().size() + s.test().size());
    assertTrue(s.train().size() > 400 && s.test().size() > 400, s.train().size() + " / " + s.test().size());
    s.train().forEach(q -> assertTrue(HoldOut.trains(q.key())));
    List<BehaviorSequence> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(1));
    Set<String> again = new HashSet<>();
    HoldOut.halves(shuffled).train().forEach(q -> again.add(q.key()));
    Set<String> first = new HashSet<>();
    s.train().forEach(q -> first.add(q.key()));
    assertEquals(first, again);
  }
}
