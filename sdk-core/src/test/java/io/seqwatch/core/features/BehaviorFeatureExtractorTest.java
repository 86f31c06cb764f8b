package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureVector;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BehaviorFeatureExtractorTest {
  // 2017-11-26T01:00:00Z = 09:00 in Shanghai
  private static final long T = 1_511_658_000_000L;

  private static BehaviorEvent e(long offsetS, String action, String item, String cat) {
    return BehaviorEvent.of("u", T + offsetS * 1000, action, item, cat);
  }

  @Test
  void handComputedFeatures() {
    BehaviorSequence s = new BehaviorSequence("u", List.of(
        e(0, "pv", "i1", "c1"), e(10, "pv", "i2", "c1"), e(20, "cart", "i2", "c1"), e(50, "buy", "i2", "c2")));
    FeatureVector v = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6).extract(s);
    assertEquals(4, v.get("event_count"));
    assertEquals(50 / 60.0, v.get("duration_min"), 1e-12);
    assertEquals(4 * 60.0, v.get("events_per_hour"), 1e-9); // 50 s is floored to one minute
    assertEquals(4, v.get("peak_events_per_min"));
    assertEquals(2, v.get("count_view"));
    assertEquals(1, v.get("count_cart"));
    assertEquals(1, v.get("count_purchase"));
    assertEquals(0.5, v.get("share_view"));
    // gaps 10, 10, 30: mean 50/3, population std sqrt(((10-50/3)^2*2 + (30-50/3)^2)/3)
    double mean = 50 / 3.0;
    double std = Math.sqrt((2 * Math.pow(10 - mean, 2) + Math.pow(30 - mean, 2)) / 3);
    assertEquals(mean, v.get("gap_mean_s"), 1e-9);
    assertEquals(std, v.get("gap_std_s"), 1e-9);
    assertEquals(std / mean, v.get("gap_cv"), 1e-9);
    assertEquals((std - mean) / (std + mean), v.get("burstiness"), 1e-9);
    assertEquals(0.0, v.get("fast_gap_share")); // no gap of 2 s or less
    assertEquals(0.5, v.get("distinct_item_ratio"));
    assertEquals(0.5, v.get("distinct_category_ratio"));
    assertEquals(0.5, v.get("repeat_item_rate"));
    assertEquals(0.5, v.get("view_to_cart"));
    assertEquals(0.5, v.get("view_to_buy"));
    // transitions pv>pv, pv>cart, cart>buy: three equally likely -> log2(3)
    assertEquals(Math.log(3) / Math.log(2), v.get("transition_entropy"), 1e-9);
    assertEquals(1.0, v.get("night_share")); // 01:00 UTC
    assertEquals(0.0, new BehaviorFeatureExtractor(ZoneId.of("Asia/Shanghai"), 0, 6).extract(s).get("night_share"));
  }

  @Test
  void singleEventSequenceHasDefinedFeatures() {
    FeatureVector v = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6)
        .extract(new BehaviorSequence("u", List.of(e(0, "pv", "i", "c"))));
    assertEquals(60, v.get("events_per_hour"), 1e-9); // duration floored at one minute
    assertEquals(0, v.get("gap_mean_s"));
    assertEquals(0, v.get("burstiness"));
    assertEquals(0, v.get("fast_gap_share"));
    assertEquals(0, v.get("transition_entropy"));
  }

  @Test
  void fastGapShareCountsGapsOfAtMostTwoSeconds() {
    // gaps 1 s, 2 s, 3 s, 0 s: three of four are fast
    BehaviorSequence s = new BehaviorSequence("u", List.of(
        e(0, "pv", "i1", "c1"), e(1, "pv", "i2", "c1"), e(3, "pv", "i3", "c1"), e(6, "pv", "i4", "c1"),
        e(6, "pv", "i5", "c1")));
    assertEquals(0.75, new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6).extract(s).get("fast_gap_share"));
  }

  @Test
  void freeTextActionsKeepTheStateBoundedAndWritable() throws java.io.IOException {
    // every action a new text (queries as actions), one of them 100,000 characters long
    java.util.List<BehaviorEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String action = i == 7 ? "q".repeat(100_000) : "search for item " + i;
      events.add(BehaviorEvent.of("u", 1_700_000_000_000L + i * 1_000L, action, "i", "c"));
    }
    BehaviorFeatureExtractor x = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    BehaviorAccumulator a = x.accumulator();
    events.forEach(a::add);
    org.junit.jupiter.api.Assertions.assertTrue(a.memoryBytes() < 2_000_000, a.memoryBytes() + " bytes");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    a.write(new java.io.DataOutputStream(bytes)); // no action is too long for the snapshot format
    BehaviorAccumulator back = BehaviorAccumulator.read(new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray())), x);
    org.junit.jupiter.api.Assertions.assertArrayEquals(a.features("u", x.schema()).values(),
        back.features("u", x.schema()).values(), 0.0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(x.extract(new BehaviorSequence("u", events)).values(),
        a.features("u", x.schema()).values(), 0.0);
    // every transition is distinct: the entropy is log2 of their number, bound or not
    assertEquals(Math.log(19_999) / Math.log(2), a.features("u", x.schema()).get("transition_entropy"), 1e-9);
  }
}
