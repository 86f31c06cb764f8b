package io.seqwatch.core.features;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.spi.FeatureExtractor;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Named behaviour features of a sequence, the ones risk teams reason with:
 *
 * <ul>
 *   <li>{@code event_count}, {@code duration_min}, {@code events_per_hour} (duration floored at one
 *       minute), {@code peak_events_per_min} (most events in any 60-second window);
 *   <li>{@code count_<type>} and {@code share_<type>} per {@link ActionType} (search, view, click,
 *       favorite, cart, remove_from_cart, purchase, other);
 *   <li>inter-event gaps: {@code gap_mean_s}, {@code gap_std_s}, {@code gap_cv} (std / mean) and
 *       {@code burstiness} ((std - mean) / (std + mean): -1 perfectly regular, 0 random, towards 1
 *       bursty);
 *   <li>{@code distinct_item_ratio}, {@code distinct_category_ratio} (distinct / events; a missing id
 *       counts as one value), {@code repeat_item_rate} (share of events on an item seen before in the
 *       sequence);
 *   <li>{@code view_to_cart} and {@code view_to_buy} (carts or purchases per view, views floored at
 *       one);
 *   <li>{@code transition_entropy}: Shannon entropy in bits of the action-to-action transitions;
 *   <li>{@code night_share}: share of events between {@code night-start} and {@code night-end}
 *       o'clock in {@code zone}.
 * </ul>
 *
 * <p>Thread-safety: immutable, safe for concurrent {@link #extract}.
 */
public final class BehaviorFeatureExtractor implements FeatureExtractor {
  private static final ActionType[] TYPES = ActionType.values();
  private static final FeatureSchema SCHEMA = buildSchema();

  private final ZoneId zone;
  private final int nightStart;
  private final int nightEnd;

  /**
   * @param zone time zone for night hours
   * @param nightStart first night hour (inclusive, 0-23)
   * @param nightEnd last night hour (exclusive, 0-24)
   */
  public BehaviorFeatureExtractor(ZoneId zone, int nightStart, int nightEnd) {
    this.zone = zone;
    this.nightStart = nightStart;
    this.nightEnd = nightEnd;
  }

  private static FeatureSchema buildSchema() {
    List<String> n = new ArrayList<>(List.of(
        "event_count", "duration_min", "events_per_hour", "peak_events_per_min"));
    for (ActionType t : TYPES) {
      n.add("count_" + t.name().toLowerCase(Locale.ROOT));
    }
    for (ActionType t : TYPES) {
      n.add("share_" + t.name().toLowerCase(Locale.ROOT));
    }
    n.addAll(List.of("gap_mean_s", "gap_std_s", "gap_cv", "burstiness", "distinct_item_ratio",
        "distinct_category_ratio", "repeat_item_rate", "view_to_cart", "view_to_buy",
        "transition_entropy", "night_share"));
    return new FeatureSchema(n);
  }

  @Override
  public FeatureSchema schema() {
    return SCHEMA;
  }

  @Override
  public FeatureVector extract(BehaviorSequence sequence) {
    List<BehaviorEvent> ev = sequence.events();
    int n = ev.size();
    double[] v = new double[SCHEMA.size()];
    int k = 0;
    double durationMs = Math.max(0, sequence.durationMillis());
    v[k++] = n;
    v[k++] = durationMs / 60_000.0;
    v[k++] = n / Math.max(durationMs / 3_600_000.0, 1.0 / 60.0);
    v[k++] = peakPerMinute(ev);

    int[] counts = new int[TYPES.length];
    for (BehaviorEvent e : ev) {
      counts[e.type().ordinal()]++;
    }
    for (int c : counts) {
      v[k++] = c;
    }
    for (int c : counts) {
      v[k++] = (double) c / n;
    }

    double mean = 0;
    double m2 = 0;
    int gaps = n - 1;
    for (int i = 1; i < n; i++) {
      double g = (ev.get(i).timestampMillis() - ev.get(i - 1).timestampMillis()) / 1000.0;
      double d = g - mean;
      mean += d / i;
      m2 += d * (g - mean);
    }
    double std = gaps > 1 ? Math.sqrt(m2 / gaps) : 0;
    v[k++] = gaps > 0 ? mean : 0;
    v[k++] = std;
    v[k++] = mean > 0 ? std / mean : 0;
    v[k++] = gaps > 1 ? (std + mean > 0 ? (std - mean) / (std + mean) : -1) : 0;

    Set<String> items = new HashSet<>();
    Set<String> categories = new HashSet<>();
    int repeats = 0;
    for (BehaviorEvent e : ev) {
      if (!items.add(e.itemId().orElse("\u0000none")) && e.itemId().isPresent()) {
        repeats++;
      }
      categories.add(e.categoryId().orElse("\u0000none"));
    }
    v[k++] = (double) items.size() / n;
    v[k++] = (double) categories.size() / n;
    v[k++] = (double) repeats / n;
    double views = Math.max(1, counts[ActionType.VIEW.ordinal()] + counts[ActionType.CLICK.ordinal()]);
    v[k++] = counts[ActionType.CART.ordinal()] / views;
    v[k++] = counts[ActionType.PURCHASE.ordinal()] / views;
    v[k++] = transitionEntropy(ev);
    int night = 0;
    for (BehaviorEvent e : ev) {
      int h = Instant.ofEpochMilli(e.timestampMillis()).atZone(zone).getHour();
      if (nightStart <= nightEnd ? h >= nightStart && h < nightEnd : h >= nightStart || h < nightEnd) {
        night++;
      }
    }
    v[k++] = (double) night / n;
    return new FeatureVector(sequence.key(), SCHEMA, v);
  }

  private static int peakPerMinute(List<BehaviorEvent> ev) {
    int best = 0;
    int lo = 0;
    for (int hi = 0; hi < ev.size(); hi++) {
      long t = ev.get(hi).timestampMillis();
      while (t - ev.get(lo).timestampMillis() >= 60_000L) {
        lo++;
      }
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  private static double transitionEntropy(List<BehaviorEvent> ev) {
    if (ev.size() < 2) {
      return 0;
    }
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 1; i < ev.size(); i++) {
      counts.merge(ev.get(i - 1).action() + "\u0000" + ev.get(i).action(), 1, Integer::sum);
    }
    double total = ev.size() - 1;
    double h = 0;
    for (int c : counts.values()) {
      double p = c / total;
      h -= p * Math.log(p) / Math.log(2);
    }
    return h == 0 ? 0 : h;
  }
}
