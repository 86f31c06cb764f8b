package io.seqwatch.core.features;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.spi.FeatureExtractor;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.seqwatch.spi.ArtifactWriter;
import java.io.DataOutputStream;
import java.io.IOException;

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
 *       bursty), {@code fast_gap_share} (share of gaps of at most 2 seconds: quicker than a person
 *       reads a page, so scripts, replays and bursts of automated requests show it);
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
 * <p>With traffic {@link Signals} (event attributes, chosen at fit: those the training data
 * carries), these follow:
 *
 * <ul>
 *   <li>device: {@code distinct_devices}, {@code device_switch_rate} (share of consecutive events
 *       with a device that changed device), {@code device_actors} (the most training actors that
 *       shared one of the sequence's devices: a device farm runs many accounts);
 *   <li>ip: {@code distinct_ips}, {@code distinct_subnets} (the address less its last part: /24 for
 *       IPv4), {@code ip_switch_rate} (rotating proxies change address between clicks), {@code
 *       ip_actors} and {@code subnet_actors} (the most training actors on one of its addresses,
 *       subnets);
 *   <li>user agent: {@code distinct_user_agents}, {@code non_browser_share} (share of events whose
 *       user agent names no platform in parentheses or carries a word of scripts, HTTP libraries,
 *       headless browsers or crawlers: {@code python-requests/2.31}, {@code HeadlessChrome}), {@code
 *       user_agent_rarity} (log10 of training actors over the actors that sent its rarest user
 *       agent);
 *   <li>query: {@code query_length_mean} (characters), {@code query_repeat_share} (queries seen
 *       before in the sequence, case-insensitive), {@code fast_query_share} (queries with more
 *       characters than 15 per second since the previous event: faster than people type), {@code
 *       search_no_click_share} (searches not followed by a view, click, favourite, cart or purchase);
 *   <li>account (a profile side table's {@code actor.created}): {@code account_age_days} at the
 *       first event that carries it (-1 when none does): fresh accounts run fake orders.
 * </ul>
 *
 * <p>The shared-infrastructure counts ({@code *_actors}, {@code user_agent_rarity}) come from the
 * training data ({@link Population}: hashed values, frozen at fit and saved with the bundle), so
 * they are equal in batch and streaming; traffic from a farm that was not in the training data
 * counts one actor per value until the model is trained again.
 *
 * <p>With the per-actor baseline ({@code history=auto}: on at fit when at least 25 % of the
 * training sequences have earlier sessions of their actor, as with {@code --group-by session} or
 * {@code gap:30m} on a log of weeks; {@code on}; {@code none}, the default), each sequence is also
 * compared with its actor's own earlier sessions ({@link ActorHistory}, frozen at fit and saved with
 * the bundle): {@code history_sessions}, {@code new_category_share}, {@code new_hour_share}, {@code
 * action_shift}, {@code pace_shift}, {@code first_purchase} (see {@link HistoryAccumulator}); a
 * takeover of a known account shows as a session in categories, hours and at a pace its owner never
 * had, and {@link #context} says so in the reasons. It is not the default because it trades kinds:
 * a bot's later bursts look usual against its own earlier ones (measured in the README).
 *
 * <p>Thread-safety: immutable but for a cache of the last table's action ranks (a benign race), safe for
 * concurrent {@link #extract}.
 */
public final class BehaviorFeatureExtractor implements FeatureExtractor {
  private static final ActionType[] TYPES = ActionType.values();
  private static final FeatureSchema BASE = buildSchema();

  private final ZoneId zone;
  private final int nightStart;
  private final int nightEnd;
  private final Signals signals;
  private final Population population;
  /** The actors' histories, when the per-actor baseline is on. */
  private final ActorHistory history;
  private final FeatureSchema schema;
  /** The zone's fixed offset in seconds, or {@link BehaviorAccumulator#NOT_FIXED}. */
  private final int offset;

  /**
   * Features without traffic signals.
   *
   * @param zone time zone for night hours
   * @param nightStart first night hour (inclusive, 0-23)
   * @param nightEnd last night hour (exclusive, 0-24)
   */
  public BehaviorFeatureExtractor(ZoneId zone, int nightStart, int nightEnd) {
    this(zone, nightStart, nightEnd, Signals.NONE);
  }

  /**
   * @param zone time zone for night hours
   * @param nightStart first night hour (inclusive, 0-23)
   * @param nightEnd last night hour (exclusive, 0-24)
   * @param signals the event attributes that add features
   */
  public BehaviorFeatureExtractor(ZoneId zone, int nightStart, int nightEnd, Signals signals) {
    this(zone, nightStart, nightEnd, signals, Population.EMPTY, null);
  }

  /**
   * An extractor whose shared-infrastructure counts come from {@code population}, with the per-actor
   * baseline of {@code history} ({@code null}: none).
   */
  BehaviorFeatureExtractor(ZoneId zone, int nightStart, int nightEnd, Signals signals, Population population,
      ActorHistory history) {
    this.population = population;
    this.history = history;
    this.zone = zone;
    this.nightStart = nightStart;
    this.nightEnd = nightEnd;
    this.offset = BehaviorAccumulator.fixedOffsetSeconds(zone);
    this.signals = java.util.Objects.requireNonNull(signals, "signals");
    List<String> names = new ArrayList<>(BASE.names());
    names.addAll(SignalAccumulator.names(signals));
    if (history != null) {
      names.addAll(HistoryAccumulator.NAMES);
    }
    this.schema = names.size() == BASE.size() ? BASE : new FeatureSchema(names);
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
    n.addAll(List.of("gap_mean_s", "gap_std_s", "gap_cv", "burstiness", "fast_gap_share", "distinct_item_ratio",
        "distinct_category_ratio", "repeat_item_rate", "view_to_cart", "view_to_buy",
        "transition_entropy", "night_share"));
    return new FeatureSchema(n);
  }

  @Override
  public FeatureSchema schema() {
    return schema;
  }

  /** {@code signals} and {@code history}, as decided at fit. */
  @Override
  public java.util.Map<String, String> fittedOptions() {
    return java.util.Map.of("signals", signals.spec(), "history", history == null ? "none" : "on");
  }

  /** The actors' histories, when the per-actor baseline is on. */
  java.util.Optional<ActorHistory> history() {
    return java.util.Optional.ofNullable(history);
  }

  /**
   * What the per-actor baseline holds, for people: {@code "2,371 actors' histories; 94 % of the
   * training sequences had earlier sessions of their actor"}; empty when it is off.
   */
  public java.util.Optional<String> historySummary() {
    return history().map(h -> String.format(java.util.Locale.ROOT,
        "%,d actors' histories; %.0f %% of the training sequences had earlier sessions of their actor", h.actors(),
        100 * h.coverage()));
  }

  /** The traffic signals in use. */
  public Signals signals() {
    return signals;
  }

  /** The training data's shared-infrastructure counts. */
  Population population() {
    return population;
  }

  /**
   * This extractor with the shared-infrastructure counts of {@code training} and, as {@code history}
   * says ({@code auto}, {@code on} or {@code none}), the histories of at most {@code historyActors}
   * of its actors.
   */
  BehaviorFeatureExtractor fit(List<BehaviorSequence> training, String history, int historyActors) {
    Population p = signals.isEmpty() ? population : Population.fit(training, signals);
    ActorHistory h = null;
    if (!history.equals("none")) {
      h = ActorHistory.fit(training, zone, historyActors);
      if (history.equals("auto") && h.coverage() < AUTO_HISTORY_COVERAGE) {
        h = null;
      }
    }
    return new BehaviorFeatureExtractor(zone, nightStart, nightEnd, signals, p, h);
  }

  /**
   * {@code history=auto} turns the per-actor baseline on when at least this share of the training
   * sequences has earlier sessions of its actor. Below it the baseline is the population's constant
   * for most sequences and only adds noise: on Taobao's 2-hour slice grouped by {@code gap:30m} (5.4 %
   * with a history) it cost the forest PR-AUC 0.924 -> 0.889; on Taobao's 43 users with weeks of
   * history (94 %) it raised recall of takeovers at 1 % FPR 0.892 -> 0.956.
   */
  static final double AUTO_HISTORY_COVERAGE = 0.25;

  /**
   * Saves the shared-infrastructure counts ({@code population.bin}) when signals are in use and the
   * actors' histories ({@code history.bin}) when the per-actor baseline is on.
   */
  @Override
  public void save(ArtifactWriter out) throws IOException {
    if (!signals.isEmpty()) {
      try (DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out.create(POPULATION)))) {
        population.write(d);
      }
    }
    if (history != null) {
      try (DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out.create(HISTORY)))) {
        history.write(d);
      }
    }
  }

  /**
   * With the per-actor baseline: what is new about the sequence for its actor, when anything clearly
   * is ({@code "new for this actor (14 earlier sessions): 92 % of its events in categories it never
   * visited; its first purchase; gaps 35x shorter than its usual"}). The shares are the features'
   * (shrunk towards the population for short histories).
   */
  @Override
  public java.util.Optional<io.seqwatch.api.Contribution> context(FeatureVector v) {
    if (history == null || v.values().length != schema.size()) {
      return java.util.Optional.empty();
    }
    int k = schema.size() - HistoryAccumulator.NAMES.size();
    double[] x = v.values();
    java.util.function.ToDoubleFunction<String> at = name -> x[k + HistoryAccumulator.NAMES.indexOf(name)];
    double sessions = at.applyAsDouble("history_sessions");
    if (sessions == 0) {
      return java.util.Optional.empty();
    }
    double newCategories = at.applyAsDouble("new_category_share");
    double newHours = at.applyAsDouble("new_hour_share");
    double pace = at.applyAsDouble("pace_shift");
    double actions = at.applyAsDouble("action_shift");
    List<String> parts = new ArrayList<>();
    if (newCategories >= 0.5) {
      parts.add(String.format(Locale.ROOT, "%.0f %% of its events in categories it never visited", 100 * newCategories));
    }
    if (newHours >= 0.5) {
      parts.add(String.format(Locale.ROOT, "%.0f %% at hours of day it was never active", 100 * newHours));
    }
    if (at.applyAsDouble("first_purchase") > 0) {
      parts.add("its first purchase");
    }
    if (pace <= -0.5) {
      parts.add(String.format(Locale.ROOT, "gaps %.3gx shorter than its usual", Math.pow(10, -pace)));
    } else if (pace >= 0.5) {
      parts.add(String.format(Locale.ROOT, "gaps %.3gx longer than its usual", Math.pow(10, pace)));
    }
    if (actions >= 0.5) {
      parts.add(String.format(Locale.ROOT, "actions unlike its usual mix (distance %.2f)", actions));
    }
    if (parts.isEmpty()) {
      return java.util.Optional.empty();
    }
    String reason = String.format(Locale.ROOT, "new for this actor (%.0f earlier session%s): %s", sessions,
        sessions == 1 ? "" : "s", String.join("; ", parts));
    return java.util.Optional.of(new io.seqwatch.api.Contribution("actor_history", newCategories, Double.NaN, 0, reason));
  }

  /** The files {@link #save} writes. */
  static final String POPULATION = "population.bin";
  static final String HISTORY = "history.bin";

  @Override
  public FeatureVector extract(BehaviorSequence sequence) {
    BehaviorAccumulator a = accumulator();
    List<BehaviorEvent> events = sequence.events();
    for (int i = 1; i < events.size(); i++) {
      if (events.get(i).timestampMillis() < events.get(i - 1).timestampMillis()) { // not from the preprocessor
        events = new ArrayList<>(events);
        events.sort(java.util.Comparator.comparingLong(BehaviorEvent::timestampMillis));
        break;
      }
    }
    for (BehaviorEvent e : events) {
      a.add(e);
    }
    return a.features(sequence.key(), schema);
  }

  /**
   * The features of sequence {@code i} of a table's sequences, equal to {@code extract(sequences.get(i))}
   * to the last bit, read from the table's columns without building the sequence's events (the
   * path {@code train} and {@code score} take for the behaviour features of a table). Sequences this
   * reading does not cover are built and extracted: with traffic signals or the per-actor baseline,
   * more than {@value DistinctCounter#EXACT} events (the distinct counters may sketch), more than
   * {@value #COLUMN_ACTIONS} distinct raw actions in the table, or rows not in time order.
   */
  public FeatureVector extract(io.seqwatch.core.prep.TableSequences sequences, int i) {
    int n = sequences.rowCount(i);
    ActionRanks ranks = n > DistinctCounter.EXACT || !signals.isEmpty() || history != null ? null
        : actionRanks(sequences.table());
    if (ranks == null) {
      return extract(sequences.get(i));
    }
    io.seqwatch.core.prep.EventTable t = sequences.table();
    long[] times = new long[n];
    int[] items = new int[n];
    int[] categories = new int[n];
    int[] counts = new int[TYPES.length];
    int[] transitions = new int[ranks.distinct * ranks.distinct];
    GapStats gaps = new GapStats();
    int noItem = 0;
    int night = 0;
    int previousAction = -1;
    for (int k = 0; k < n; k++) {
      int row = sequences.row(i, k);
      long time = t.time(row);
      if (k > 0) {
        long last = times[k - 1];
        if (time < last) {
          return extract(sequences.get(i)); // not the preprocessor's order: the object path sorts
        }
        gaps.add(time - last, k); // as the accumulator adds them
      }
      times[k] = time;
      int code = t.actionCode(row);
      counts[io.seqwatch.core.prep.EventTable.typeOrdinalOfCode(code)]++;
      items[k] = t.itemId(row);
      noItem += items[k] < 0 ? 1 : 0;
      categories[k] = t.categoryId(row);
      int action = ranks.rank[io.seqwatch.core.prep.EventTable.actionIdOfCode(code)];
      if (previousAction >= 0) {
        transitions[previousAction * ranks.distinct + action]++;
      }
      previousAction = action;
      if (BehaviorAccumulator.atNight(BehaviorAccumulator.hour(time, zone, offset), nightStart, nightEnd)) {
        night++;
      }
    }
    int peak = 0;
    for (int k = 0, from = 0; k < n; k++) { // the 60-second window ending at each event
      while (times[k] - times[from] >= 60_000L) {
        from++;
      }
      peak = Math.max(peak, k - from + 1);
    }
    double entropy = 0;
    if (n > 1) {
      double total = n - 1;
      for (int c : transitions) { // ranks order the cells as the accumulator's keys are ordered
        if (c > 0) {
          entropy -= BehaviorAccumulator.bits(c, total);
        }
      }
      entropy = entropy == 0 ? 0 : entropy;
    }
    double[] v = new double[schema.size()];
    BehaviorAccumulator.base(v, n, times[0], times[n - 1], peak, counts, gaps, distinct(items), distinct(categories),
        noItem, entropy, night);
    return new FeatureVector(sequences.key(i), schema, v);
  }

  /** Most distinct raw actions in a table for {@link #extract(io.seqwatch.core.prep.TableSequences, int)}. */
  static final int COLUMN_ACTIONS = 16;

  /** Distinct values (-1, no id, is one value); sorts {@code ids}. */
  private static int distinct(int[] ids) {
    int n = ids.length;
    if (n <= 16) { // most sequences: insertion sort, without the library sort's set-up
      for (int k = 1; k < n; k++) {
        int v = ids[k];
        int j = k - 1;
        for (; j >= 0 && ids[j] > v; j--) {
          ids[j + 1] = ids[j];
        }
        ids[j + 1] = v;
      }
    } else {
      java.util.Arrays.sort(ids);
    }
    int d = n == 0 ? 0 : 1;
    for (int k = 1; k < n; k++) {
      d += ids[k] != ids[k - 1] ? 1 : 0;
    }
    return d;
  }

  /**
   * A table's raw actions ranked as the accumulator orders its transition keys ({@code previous + "\0" +
   * action}, the actions cut as it cuts them): actions whose cut text is equal share a rank, and with
   * no NUL in any action the keys' order is the order of (rank of previous, rank of action), so the
   * cells of a {@code distinct x distinct} matrix read in index order are the keys in order.
   */
  private record ActionRanks(java.lang.ref.WeakReference<io.seqwatch.core.prep.EventTable> table, int actions,
      int[] rank, int distinct) {
    /** Whether the column reading covers the table's actions (no ranks when it does not). */
    boolean covered() {
      return rank.length > 0;
    }
  }

  /** The last table's ranks (a benign race: an equal value may be computed twice). */
  private volatile ActionRanks lastRanks;

  /** The ranks of a table's actions, or null when the column reading does not cover its actions. */
  private ActionRanks actionRanks(io.seqwatch.core.prep.EventTable t) {
    ActionRanks r = lastRanks;
    if (r != null && r.table.get() == t && r.actions == t.actionCount()) {
      return r.covered() ? r : null;
    }
    int a = t.actionCount();
    String[] cut = new String[a];
    boolean covered = a <= COLUMN_ACTIONS;
    for (int id = 0; id < a && covered; id++) {
      cut[id] = SignalAccumulator.cut(t.actionText(id));
      covered = cut[id].indexOf('\u0000') < 0;
    }
    int[] rank = new int[0];
    int distinct = 0;
    if (covered) {
      String[] sorted = java.util.Arrays.stream(cut).distinct().sorted().toArray(String[]::new);
      rank = new int[a];
      for (int id = 0; id < a; id++) {
        rank[id] = java.util.Arrays.binarySearch(sorted, cut[id]);
      }
      distinct = sorted.length;
    }
    r = new ActionRanks(new java.lang.ref.WeakReference<>(t), a, rank, distinct);
    lastRanks = r;
    return r.covered() ? r : null;
  }

  /** An empty running-feature accumulator with this extractor's settings (for streaming). */
  public BehaviorAccumulator accumulator() {
    return new BehaviorAccumulator(zone, nightStart, nightEnd, signals, population, history);
  }

  /** The time zone of the night hours. */
  public ZoneId zone() {
    return zone;
  }

  public int nightStart() {
    return nightStart;
  }

  public int nightEnd() {
    return nightEnd;
  }
}
