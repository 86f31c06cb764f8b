package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistinctCounterTest {
  @Test
  void exactUpToItsLimitThenASketchWithinAFewPercentWhateverTheOrder() throws IOException {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      values.add("item-" + i);
    }
    DistinctCounter small = new DistinctCounter();
    values.subList(0, 4_096).forEach(small::add);
    values.subList(0, 100).forEach(small::add); // repeats do not count
    assertTrue(small.isExact());
    assertEquals(4_096, small.count());
    DistinctCounter big = new DistinctCounter();
    values.forEach(big::add);
    values.subList(0, 50_000).forEach(big::add);
    assertFalse(big.isExact());
    assertEquals(100_000, big.count(), 100_000 * 0.05); // standard error 1.6 %: 3 sigma
    // the estimate depends on the set of values only: the same values shuffled give the same count
    List<String> shuffled = new ArrayList<>(values);
    Collections.shuffle(shuffled, new Random(7));
    DistinctCounter again = new DistinctCounter();
    shuffled.forEach(again::add);
    assertEquals(big.count(), again.count());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    big.write(new DataOutputStream(bytes));
    assertTrue(bytes.size() < 5_000, bytes.size() + " bytes");
    assertEquals(big.count(), DistinctCounter.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())))
        .count());
  }

  @Test
  void aScraperTouchingTensOfThousandsOfItemsHoldsAFewKilobytesWithFeaturesCloseToExact() {
    long t = 1_511_658_000_000L;
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) { // 30,000 distinct items, then 10,000 repeats of earlier ones
      String item = i < 30_000 ? "i" + i : "i" + (i % 1_000);
      events.add(BehaviorEvent.of("scraper", t + i * 1_000L, "pv", item, "c" + (i % 50)));
    }
    BehaviorFeatureExtractor fx = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    BehaviorAccumulator a = fx.accumulator();
    events.forEach(a::add);
    assertTrue(a.memoryBytes() < 20_000, a.memoryBytes() + " bytes");
    FeatureVector v = fx.extract(new BehaviorSequence("scraper", events));
    assertEquals(0.75, v.get("distinct_item_ratio"), 0.75 * 0.05);
    assertEquals(0.25, v.get("repeat_item_rate"), 0.25 * 0.15);
    assertEquals(50 / 40_000.0, v.get("distinct_category_ratio"), 1e-12); // 50 categories: still exact
  }
}
