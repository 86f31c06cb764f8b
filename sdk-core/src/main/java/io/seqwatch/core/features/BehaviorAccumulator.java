package io.seqwatch.core.features;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;

/**
 * The behaviour features of a growing sequence, updated one event at a time in amortised O(1):
 * counts, Welford running gap moments, the count of fast gaps, a 60-second deque for the peak rate,
 * distinct item and category counts (exact up to 4,096 values each, then a 4 KB HyperLogLog sketch,
 * so an actor's state stays bounded however many items it touches), transition counts and the night
 * count. {@link BehaviorFeatureExtractor} folds a
 * whole sequence through it, so a streamed sequence has exactly the features of the same sequence
 * in batch, to the last bit. Events must arrive in time order.
 *
 * <p>Thread-safety: not thread-safe; one accumulator per sequence, used by one thread at a time.
 */
public final class BehaviorAccumulator {
  private static final ActionType[] TYPES = ActionType.values();
  private static final String NONE = "\u0000none";
  /** Most distinct transitions whose entropy is summed exactly over the counts. */
  private static final int EXACT_TRANSITIONS = 256;
  /**
   * Most distinct transitions held: past them a new transition counts as seen once (it adds to the
   * total but not to the sum of c log c), so an actor with free-text actions holds a bounded map.
   */
  static final int MAX_TRANSITIONS = 4_096;
  /** Marks the state layout with the transitions' running c log c sum. */
  private static final int LAYOUT_2 = -2;
  /** Marks the state layout that adds the count of fast gaps. */
  private static final int LAYOUT_3 = -3;
  /** Marks the state layout with bounded distinct counters instead of item and category sets. */
  private static final int LAYOUT_4 = -4;
  /** Marks the state layout that adds the traffic-signal state. */
  private static final int LAYOUT_5 = -5;
  /** Marks the state layout with flags for the optional parts: 1 traffic signals, 2 actor history. */
  private static final int LAYOUT_6 = -6;
  /** The longest gap, in milliseconds, that counts as fast: quicker than a person reads a page. */
  static final long FAST_GAP_MS = 2_000;

  private final ZoneId zone;
  private final int nightStart;
  private final int nightEnd;
  private final int offset; // the zone's fixed offset in seconds, or NOT_FIXED
  private int n;
  private long first;
  private long last;
  private final int[] counts = new int[TYPES.length];
  private final GapStats gaps = new GapStats();
  /** The event times of the last 60 seconds, oldest first. */
  private final LongWindow minute = new LongWindow();
  private int peak;
  /** Distinct item ids (a missing id counts as one value): exact, then sketched past 4,096. */
  private DistinctCounter items = new DistinctCounter();
  private DistinctCounter categories = new DistinctCounter();
  /** Events without an item id. */
  private int noItem;
  private String lastAction;
  private final TransitionCounts transitions = new TransitionCounts();
  /** The sum of c ln c over the transition counts, kept as counts change: entropy in O(1) per event. */
  private double transitionCLogC;
  private int night;
  /** The traffic-signal state, when the features use any signal. */
  private SignalAccumulator signalState;
  /** The per-actor baseline state, when the features compare with the actor's history. */
  private HistoryAccumulator historyState;

  /** An empty sequence with the extractor's night hours and no traffic signals. */
  public BehaviorAccumulator(ZoneId zone, int nightStart, int nightEnd) {
    this(zone, nightStart, nightEnd, Signals.NONE, Population.EMPTY, null);
  }

  /**
   * An empty sequence with the extractor's night hours, traffic signals and actor histories ({@code
   * null}: no per-actor baseline).
   */
  BehaviorAccumulator(ZoneId zone, int nightStart, int nightEnd, Signals signals, Population population,
      ActorHistory history) {
    this.zone = zone;
    this.nightStart = nightStart;
    this.nightEnd = nightEnd;
    this.offset = fixedOffsetSeconds(zone);
    this.signalState = signals.isEmpty() ? null : new SignalAccumulator(signals, population);
    this.historyState = history == null ? null : new HistoryAccumulator(history, zone);
  }

  /** Events added so far. */
  public int size() {
    return n;
  }

  /** Timestamp of the last event, or {@link Long#MIN_VALUE} before the first. */
  public long lastTimestamp() {
    return n == 0 ? Long.MIN_VALUE : last;
  }

  /** Adds the next event (not earlier than the previous one). */
  public void add(BehaviorEvent e) {
    long t = e.timestampMillis();
    if (n > 0 && t < last) {
      throw new IllegalArgumentException("event at " + t + " is earlier than the previous one at " + last);
    }
    if (signalState != null) {
      signalState.add(e, n == 0 ? -1 : t - last);
    }
    if (historyState != null) {
      historyState.add(e, n == 0 ? -1 : t - last);
    }
    if (n == 0) {
      first = t;
    } else {
      gaps.add(t - last, n); // n gaps after this one
    }
    n++;
    last = t;
    counts[e.type().ordinal()]++;
    minute.addLast(t);
    while (t - minute.peekFirst() >= 60_000L) {
      minute.removeFirst();
    }
    peak = Math.max(peak, minute.size());
    items.add(e.itemId().orElse(NONE));
    noItem += e.itemId().isPresent() ? 0 : 1;
    categories.add(e.categoryId().orElse(NONE));
    String action = SignalAccumulator.cut(e.action()); // free text: bounded in memory and in snapshots
    if (lastAction != null) {
      int c = transitions.increment(lastAction, action, MAX_TRANSITIONS);
      if (c > 0) {
        transitionCLogC += cLogC(c) - cLogC(c - 1);
      } // else: a transition beyond the bound counts as seen once: c log c = 0, the total still grows
    }
    lastAction = action;
    if (atNight(hour(t, zone, offset), nightStart, nightEnd)) {
      night++;
    }
  }

  /** The features of the events so far (at least one). */
  public FeatureVector features(String key, FeatureSchema schema) {
    if (n == 0) {
      throw new IllegalStateException("no events yet");
    }
    double[] v = new double[schema.size()];
    int k = base(v, n, first, last, peak, counts, gaps, items.count(), categories.count(), noItem, entropy(), night);
    if (signalState != null) {
      k = signalState.features(v, k);
    }
    if (historyState != null) {
      k = historyState.features(v, k, n, counts);
    }
    return new FeatureVector(key, schema, v);
  }

  /**
   * Writes the behaviour features (the extractor's base schema) into {@code v} from index 0 and
   * returns the next index: the one formula for a sequence folded event by event and for one read
   * from a table's columns ({@link BehaviorFeatureExtractor#extract(io.seqwatch.core.prep.TableSequences, int)}).
   */
  static int base(double[] v, int n, long first, long last, int peak, int[] counts, GapStats gapStats,
      long distinctItems, long distinctCategories, int noItem, double entropy, int night) {
    int k = 0;
    double durationMs = Math.max(0, last - first);
    v[k++] = n;
    v[k++] = durationMs / 60_000.0;
    v[k++] = n / Math.max(durationMs / 3_600_000.0, 1.0 / 60.0);
    v[k++] = peak;
    for (int c : counts) {
      v[k++] = c;
    }
    for (int c : counts) {
      v[k++] = (double) c / n;
    }
    int gaps = n - 1;
    double std = gaps > 1 ? Math.sqrt(gapStats.m2 / gaps) : 0;
    double mean = gapStats.mean;
    v[k++] = gaps > 0 ? mean : 0;
    v[k++] = std;
    v[k++] = mean > 0 ? std / mean : 0;
    v[k++] = gaps > 1 ? (std + mean > 0 ? (std - mean) / (std + mean) : -1) : 0;
    v[k++] = gaps > 0 ? (double) gapStats.fast / gaps : 0;
    v[k++] = (double) Math.min(n, distinctItems) / n;
    v[k++] = (double) Math.min(n, distinctCategories) / n;
    // events on an item seen before in the sequence: every present item's first event is not a
    // repeat, so the present-item events minus the distinct present items (exact while the item
    // counter is exact, then from its estimate)
    long distinctPresent = distinctItems - (noItem > 0 ? 1 : 0);
    v[k++] = (double) Math.max(0, (n - noItem) - distinctPresent) / n;
    double views = Math.max(1, counts[ActionType.VIEW.ordinal()] + counts[ActionType.CLICK.ordinal()]);
    v[k++] = counts[ActionType.CART.ordinal()] / views;
    v[k++] = counts[ActionType.PURCHASE.ordinal()] / views;
    v[k++] = entropy;
    v[k++] = (double) night / n;
    return k;
  }

  /**
   * Shannon entropy in bits of the transitions. Up to {@value #EXACT_TRANSITIONS} distinct
   * transitions (any fixed action vocabulary) it is summed over the counts in key order, so equal
   * counts give bit-equal values whatever the order of events (ties stay ties for the detectors);
   * beyond that (free-text actions) it is log(T) - (1/T) sum c log c from the running sum, so the
   * cost per event stays bounded however many distinct transitions there are.
   */
  private double entropy() {
    if (n < 2) {
      return 0;
    }
    double total = n - 1;
    if (transitions.size() > EXACT_TRANSITIONS) {
      double h = (Math.log(total) - transitionCLogC / total) / Math.log(2);
      return Math.max(h, 0);
    }
    double h = 0;
    for (int i = 0; i < transitions.size(); i++) {
      h -= bits(transitions.count(i), total);
    }
    return h == 0 ? 0 : h;
  }

  /** One transition's term of the entropy: {@code p log2 p} of its share; the terms are summed in key order. */
  static double bits(int count, double total) {
    double p = count / total;
    return p * Math.log(p) / Math.log(2);
  }

  /** The offset of a zone that has one for all time, in seconds, else {@link #NOT_FIXED}. */
  static int fixedOffsetSeconds(ZoneId zone) {
    java.time.zone.ZoneRules rules = zone.getRules();
    return rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : NOT_FIXED;
  }

  /** No fixed offset: the hour comes from the zone's rules. */
  static final int NOT_FIXED = Integer.MIN_VALUE;

  /**
   * The hour of day of {@code millis} in {@code zone} ({@code offsetSeconds} its fixed offset or
   * {@link #NOT_FIXED}): with a fixed offset by arithmetic, else from the rules; equal either way.
   */
  static int hour(long millis, ZoneId zone, int offsetSeconds) {
    if (offsetSeconds == NOT_FIXED) {
      return Instant.ofEpochMilli(millis).atZone(zone).getHour();
    }
    return (int) (Math.floorMod(Math.floorDiv(millis, 1000) + offsetSeconds, 86_400L) / 3_600);
  }

  /** Whether an hour is within the night hours [start, end), which may wrap past midnight. */
  static boolean atNight(int h, int nightStart, int nightEnd) {
    return nightStart <= nightEnd ? h >= nightStart && h < nightEnd : h >= nightStart || h < nightEnd;
  }

  private static double cLogC(int c) {
    return c <= 1 ? 0 : c * Math.log(c);
  }

  /** Rough heap bytes held: fixed fields plus the distinct counters, the deque and the transition map. */
  public long memoryBytes() {
    // object, counts, window and transitions, then per element: a set entry and its string (88 bytes
    // with the string's header), 24 per timestamp and 96 per transition plus its key: the costs of the
    // boxed deque and tree map these were held in, kept as an upper bound (the primitive window and
    // sorted arrays cost less) so that memory budgets set against this estimate hold as they did
    return 464 + 24L * minute.size() + items.memoryBytes(88) + categories.memoryBytes(88) + 96L * transitions.size()
        + 2 * transitions.chars() + (signalState == null ? 0 : signalState.memoryBytes())
        + (historyState == null ? 0 : historyState.memoryBytes());
  }

  /** Writes the state (for streaming snapshots). */
  public void write(DataOutput out) throws IOException {
    out.writeInt(LAYOUT_6); // negative: the first layout starts with the event count
    out.writeInt((signalState == null ? 0 : 1) | (historyState == null ? 0 : 2));
    out.writeInt(n);
    out.writeLong(first);
    out.writeLong(last);
    for (int c : counts) {
      out.writeInt(c);
    }
    out.writeDouble(gaps.mean);
    out.writeDouble(gaps.m2);
    out.writeInt(minute.size());
    for (int i = 0; i < minute.size(); i++) {
      out.writeLong(minute.get(i));
    }
    out.writeInt(peak);
    items.write(out);
    categories.write(out);
    out.writeInt(noItem);
    out.writeBoolean(lastAction != null);
    if (lastAction != null) {
      out.writeUTF(lastAction);
    }
    out.writeInt(transitions.size());
    for (int i = 0; i < transitions.size(); i++) {
      out.writeUTF(transitions.key(i));
      out.writeInt(transitions.count(i));
    }
    out.writeInt(night);
    out.writeDouble(transitionCLogC);
    out.writeInt(gaps.fast);
    if (signalState != null) {
      signalState.write(out);
    }
    if (historyState != null) {
      historyState.write(out);
    }
  }

  /**
   * Reads a state written by {@link #write}.
   *
   * @throws ModelFormatException when the data is inconsistent
   */
  public static BehaviorAccumulator read(DataInput in, ZoneId zone, int nightStart, int nightEnd) throws IOException {
    return read(in, zone, nightStart, nightEnd, Signals.NONE, Population.EMPTY, null);
  }

  /**
   * Reads a state written by {@link #write} for the features of {@code extractor}.
   *
   * @throws ModelFormatException when the data is inconsistent or was written for other signals
   */
  public static BehaviorAccumulator read(DataInput in, BehaviorFeatureExtractor extractor) throws IOException {
    return read(in, extractor.zone(), extractor.nightStart(), extractor.nightEnd(), extractor.signals(),
        extractor.population(), extractor.history().orElse(null));
  }

  private static BehaviorAccumulator read(DataInput in, ZoneId zone, int nightStart, int nightEnd, Signals signals,
      Population population, ActorHistory history) throws IOException {
    BehaviorAccumulator a = new BehaviorAccumulator(zone, nightStart, nightEnd, signals, population, history);
    int head = in.readInt();
    int flags = head == LAYOUT_6 ? in.readInt() : head == LAYOUT_5 ? 1 : 0;
    if ((flags & 1) == 0 && !signals.isEmpty() || (flags & 1) != 0 && signals.isEmpty()) {
      throw new ModelFormatException("streaming state: behaviour features " + ((flags & 1) != 0 ? "with" : "without")
          + " traffic signals, but the model uses " + signals.spec());
    }
    if ((flags & 2) == 0 && history != null || (flags & 2) != 0 && history == null) {
      throw new ModelFormatException("streaming state: behaviour features " + ((flags & 2) != 0 ? "with" : "without")
          + " the actor-history baseline, but the model " + (history == null ? "has none" : "has one"));
    }
    boolean layout4 = head == LAYOUT_4 || head == LAYOUT_5 || head == LAYOUT_6;
    boolean layout2 = head == LAYOUT_2 || head == LAYOUT_3 || layout4;
    a.n = layout2 ? in.readInt() : head;
    a.first = in.readLong();
    a.last = in.readLong();
    for (int i = 0; i < a.counts.length; i++) {
      a.counts[i] = in.readInt();
    }
    a.gaps.mean = in.readDouble();
    a.gaps.m2 = in.readDouble();
    int m = count(in.readInt());
    for (int i = 0; i < m; i++) {
      a.minute.addLast(in.readLong());
    }
    a.peak = in.readInt();
    if (layout4) {
      a.items = DistinctCounter.read(in);
      a.categories = DistinctCounter.read(in);
      a.noItem = in.readInt();
    } else { // plain sets and a repeat count: the events without an item follow from them
      Set<String> itemSet = new HashSet<>();
      Set<String> categorySet = new HashSet<>();
      readSet(in, itemSet);
      readSet(in, categorySet);
      int repeats = in.readInt();
      a.items = DistinctCounter.of(itemSet);
      a.categories = DistinctCounter.of(categorySet);
      int distinctPresent = itemSet.size() - (itemSet.contains(NONE) ? 1 : 0);
      a.noItem = a.n - repeats - distinctPresent;
    }
    a.lastAction = in.readBoolean() ? in.readUTF() : null;
    int t = count(in.readInt());
    for (int i = 0; i < t; i++) {
      a.transitions.put(in.readUTF(), in.readInt());
    }
    a.night = in.readInt();
    if (layout2) {
      a.transitionCLogC = in.readDouble();
    } else { // written before the running sum: rebuilt from the counts (equal up to rounding)
      for (int i = 0; i < a.transitions.size(); i++) {
        a.transitionCLogC += cLogC(a.transitions.count(i));
      }
    }
    // before layout 3 there was no fast-gap count; such states come only with bundles trained before
    // fast_gap_share existed, which no longer load (their feature schema differs), so 0 never scores
    a.gaps.fast = head == LAYOUT_3 || layout4 ? in.readInt() : 0;
    if ((flags & 1) != 0) {
      a.signalState = SignalAccumulator.read(in, signals, population);
    }
    if ((flags & 2) != 0) {
      a.historyState = HistoryAccumulator.read(in, history, zone, a.n);
    }
    if (a.n < 0 || a.peak > a.n || a.gaps.fast < 0 || a.gaps.fast > Math.max(0, a.n - 1) || a.noItem < 0
        || a.noItem > a.n) {
      throw new ModelFormatException("streaming state: behaviour accumulator with " + a.n + " events, peak " + a.peak
          + " and " + a.gaps.fast + " fast gaps");
    }
    return a;
  }

  private static int count(int c) {
    if (c < 0 || c > 100_000_000) {
      throw new ModelFormatException("streaming state: implausible element count " + c);
    }
    return c;
  }

  private static void readSet(DataInput in, Set<String> s) throws IOException {
    int c = count(in.readInt());
    for (int i = 0; i < c; i++) {
      s.add(in.readUTF());
    }
  }
}
