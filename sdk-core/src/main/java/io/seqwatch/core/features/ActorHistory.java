package io.seqwatch.core.features;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each training actor's own history, kept as compact session summaries, so that a sequence can be
 * compared with what the same actor did <em>before it started</em>: the per-actor baseline that gives
 * away account takeover (a known account suddenly buys in categories it never visited, at hours it
 * was never active, at another pace).
 *
 * <p>An actor's training events (from every training sequence, whatever the grouping) are cut into
 * sessions at gaps of more than {@value #SESSION_GAP_MINUTES} minutes. A session is summarised in 96
 * bytes: start, end, events per {@link ActionType}, a 256-bit set of its categories (hashed), a
 * 24-bit set of its hours of day, and the sum of its log gaps. The {@value #KEPT_SESSIONS} latest
 * sessions of an actor are kept one by one and the older ones merged into one summary; at most
 * {@code maxActors} actors are kept, the most recently active first. What a sequence is compared with
 * is the sum of the actor's summaries that ended before the sequence's first event, so a training
 * sequence scored again sees exactly the history it was fitted with, and batch and streaming agree.
 *
 * <p>Fitted once with the features and frozen, like {@link Population}; actors are kept as 64-bit
 * hashes, never as ids. Thread-safety: immutable.
 */
final class ActorHistory {
  /** A gap longer than this starts a new session of the actor. */
  static final int SESSION_GAP_MINUTES = 30;
  private static final long SESSION_GAP_MS = SESSION_GAP_MINUTES * 60_000L;
  /** Latest sessions kept one by one per actor; older ones are merged into one summary. */
  static final int KEPT_SESSIONS = 15;
  private static final int TYPES = ActionType.values().length;
  /** 64-bit words of a session's category set. */
  static final int CATEGORY_WORDS = 4;

  /** No history: every sequence is a first sequence. */
  static final ActorHistory EMPTY = new ActorHistory(new long[0], new int[] {0}, new Summaries(0),
      new double[TYPES], 0, 0, 0, 0);

  private final long[] actors; // sorted hashes
  private final int[] offsets; // actor i's summaries: [offsets[i], offsets[i + 1]), oldest first
  private final Summaries summaries;
  /** The training events' action shares: the prior of an actor with little history. */
  private final double[] populationShares;
  /** The training gaps' mean log10(1 + seconds). */
  private final double populationLogGap;
  /** Mean share of new-category and new-hour events over training sequences with a history. */
  private final double populationNewCategory;
  private final double populationNewHour;
  /** Share of training sequences that had a history. */
  private final double coverage;

  private ActorHistory(long[] actors, int[] offsets, Summaries summaries, double[] populationShares,
      double populationLogGap, double populationNewCategory, double populationNewHour, double coverage) {
    this.actors = actors;
    this.offsets = offsets;
    this.summaries = summaries;
    this.populationShares = populationShares;
    this.populationLogGap = populationLogGap;
    this.populationNewCategory = populationNewCategory;
    this.populationNewHour = populationNewHour;
    this.coverage = coverage;
  }

  /** Session summaries in parallel arrays: 96 bytes each. */
  private static final class Summaries {
    long[] start;
    long[] end;
    int[] sessions; // sessions merged into the summary (1 unless it holds an actor's older ones)
    int[] actions; // TYPES per summary
    long[] categories; // CATEGORY_WORDS per summary
    int[] hours; // bit h: active in hour h of the day
    float[] logGaps; // sum of log10(1 + gap seconds) within the sessions
    int[] gaps;
    int size;

    Summaries(int capacity) {
      start = new long[capacity];
      end = new long[capacity];
      sessions = new int[capacity];
      actions = new int[capacity * TYPES];
      categories = new long[capacity * CATEGORY_WORDS];
      hours = new int[capacity];
      logGaps = new float[capacity];
      gaps = new int[capacity];
    }

    int add() {
      if (size == start.length) {
        int c = Math.max(16, size * 2);
        start = Arrays.copyOf(start, c);
        end = Arrays.copyOf(end, c);
        sessions = Arrays.copyOf(sessions, c);
        actions = Arrays.copyOf(actions, c * TYPES);
        categories = Arrays.copyOf(categories, c * CATEGORY_WORDS);
        hours = Arrays.copyOf(hours, c);
        logGaps = Arrays.copyOf(logGaps, c);
        gaps = Arrays.copyOf(gaps, c);
      }
      return size++;
    }

    /** Adds summary {@code j} of {@code from} into summary {@code i} of this. */
    void merge(int i, Summaries from, int j) {
      start[i] = Math.min(start[i], from.start[j]);
      end[i] = Math.max(end[i], from.end[j]);
      sessions[i] += from.sessions[j];
      for (int a = 0; a < TYPES; a++) {
        actions[i * TYPES + a] += from.actions[j * TYPES + a];
      }
      for (int w = 0; w < CATEGORY_WORDS; w++) {
        categories[i * CATEGORY_WORDS + w] |= from.categories[j * CATEGORY_WORDS + w];
      }
      hours[i] |= from.hours[j];
      logGaps[i] += from.logGaps[j];
      gaps[i] += from.gaps[j];
    }

    /** Copies summary {@code j} of {@code from} to a new summary of this. */
    void copy(Summaries from, int j) {
      int i = add();
      start[i] = Long.MAX_VALUE;
      end[i] = Long.MIN_VALUE;
      merge(i, from, j);
    }
  }

  /** What an actor did before a point in time: the sum of its summaries that ended before it. */
  record Prior(int sessions, int events, int[] actions, long[] categories, int hours, double logGaps, int gaps) {
    static final Prior NONE = new Prior(0, 0, new int[TYPES], new long[CATEGORY_WORDS], 0, 0, 0);

    boolean knowsCategory(long categoryHash) {
      return (categories[bit(categoryHash) >>> 6] & (1L << bit(categoryHash))) != 0;
    }

    boolean knowsHour(int hour) {
      return (hours & (1 << hour)) != 0;
    }
  }

  /** The bit of a category in a category set. */
  static int bit(long categoryHash) {
    return (int) (categoryHash >>> 56); // 0..255: the top byte of a well-mixed hash
  }

  static long actorHash(String actor) {
    return Population.hash("actor\u0000" + SignalAccumulator.cut(actor));
  }

  static long categoryHash(String category) {
    return Population.hash("category\u0000" + category);
  }

  static int hour(long timestampMillis, ZoneId zone) {
    return Instant.ofEpochMilli(timestampMillis).atZone(zone).getHour();
  }

  static double logGap(long gapMillis) {
    return Math.log10(1 + gapMillis / 1000.0);
  }

  /**
   * The histories of the actors of {@code training}, the most recently active {@code maxActors} kept.
   * Memory while fitting: 24 bytes per training event plus the summaries.
   */
  static ActorHistory fit(List<BehaviorSequence> training, ZoneId zone, int maxActors) {
    // per actor: the events' (timestamp, index into a flat event table), sorted by time
    Map<Long, long[]> byActor = new HashMap<>();
    Map<Long, Integer> sizes = new HashMap<>();
    List<BehaviorEvent> flat = new ArrayList<>();
    long[] populationActions = new long[TYPES];
    double populationLogGapSum = 0;
    long populationGaps = 0;
    for (BehaviorSequence s : training) {
      long actor = actorHash(s.actorId());
      for (int i = 0; i < s.events().size(); i++) {
        BehaviorEvent e = s.events().get(i);
        populationActions[e.type().ordinal()]++;
        if (i > 0 && e.timestampMillis() >= s.events().get(i - 1).timestampMillis()) {
          populationLogGapSum += logGap(e.timestampMillis() - s.events().get(i - 1).timestampMillis());
          populationGaps++;
        }
        long[] pairs = byActor.computeIfAbsent(actor, k -> new long[8]);
        int n = sizes.getOrDefault(actor, 0);
        if (2 * n + 2 > pairs.length) {
          pairs = Arrays.copyOf(pairs, pairs.length * 2);
          byActor.put(actor, pairs);
        }
        pairs[2 * n] = e.timestampMillis();
        pairs[2 * n + 1] = flat.size();
        sizes.put(actor, n + 1);
        flat.add(e);
      }
    }
    long total = Arrays.stream(populationActions).sum();
    double[] shares = new double[TYPES];
    for (int a = 0; a < TYPES; a++) {
      shares[a] = total == 0 ? 1.0 / TYPES : (double) populationActions[a] / total;
    }
    // the actors to keep: the latest last event first, ties by hash
    long[][] order = new long[byActor.size()][];
    int k = 0;
    for (Map.Entry<Long, long[]> a : byActor.entrySet()) {
      long[] pairs = a.getValue();
      int n = sizes.get(a.getKey());
      long last = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        last = Math.max(last, pairs[2 * i]);
      }
      order[k++] = new long[] {a.getKey(), last};
    }
    Arrays.sort(order, (x, y) -> x[1] != y[1] ? Long.compare(y[1], x[1]) : Long.compare(x[0], y[0]));
    order = Arrays.copyOf(order, Math.min(order.length, maxActors));
    Arrays.sort(order, (x, y) -> Long.compare(x[0], y[0]));
    long[] actors = new long[order.length];
    int[] offsets = new int[order.length + 1];
    Summaries out = new Summaries(order.length * 2);
    Summaries sessions = new Summaries(16);
    for (int i = 0; i < order.length; i++) {
      actors[i] = order[i][0];
      long[] pairs = byActor.get(actors[i]);
      int n = sizes.get(actors[i]);
      sortPairs(pairs, n);
      sessions.size = 0;
      int cur = -1;
      long prev = Long.MIN_VALUE;
      for (int j = 0; j < n; j++) {
        BehaviorEvent e = flat.get((int) pairs[2 * j + 1]);
        long t = pairs[2 * j];
        if (cur < 0 || t - prev > SESSION_GAP_MS) {
          cur = sessions.add();
          sessions.start[cur] = t;
          sessions.sessions[cur] = 1;
          Arrays.fill(sessions.actions, cur * TYPES, (cur + 1) * TYPES, 0);
          Arrays.fill(sessions.categories, cur * CATEGORY_WORDS, (cur + 1) * CATEGORY_WORDS, 0);
          sessions.hours[cur] = 0;
          sessions.logGaps[cur] = 0;
          sessions.gaps[cur] = 0;
        } else {
          sessions.logGaps[cur] += (float) logGap(t - prev);
          sessions.gaps[cur]++;
        }
        sessions.end[cur] = t;
        sessions.actions[cur * TYPES + e.type().ordinal()]++;
        if (e.categoryId().isPresent()) {
          int b = bit(categoryHash(e.categoryId().get()));
          sessions.categories[cur * CATEGORY_WORDS + (b >>> 6)] |= 1L << b;
        }
        sessions.hours[cur] |= 1 << hour(t, zone);
        prev = t;
      }
      offsets[i] = out.size;
      int older = sessions.size - KEPT_SESSIONS;
      if (older > 0) {
        out.copy(sessions, 0);
        for (int j = 1; j < older; j++) {
          out.merge(out.size - 1, sessions, j);
        }
      }
      for (int j = Math.max(0, older); j < sessions.size; j++) {
        out.copy(sessions, j);
      }
      byActor.remove(actors[i]);
    }
    offsets[order.length] = out.size;
    ActorHistory raw = new ActorHistory(actors, offsets, out, shares,
        populationGaps == 0 ? 0 : populationLogGapSum / populationGaps, 0, 0, 0);
    // the population's novelty: the mean over training sequences that had a history
    double newCategory = 0;
    double newHour = 0;
    int withHistory = 0;
    for (BehaviorSequence s : training) {
      if (s.events().isEmpty()) {
        continue;
      }
      Prior p = raw.before(s.actorId(), s.events().get(0).timestampMillis());
      if (p.sessions() == 0) {
        continue;
      }
      withHistory++;
      int cats = 0;
      int newCats = 0;
      int newHours = 0;
      for (BehaviorEvent e : s.events()) {
        if (e.categoryId().isPresent()) {
          cats++;
          newCats += p.knowsCategory(categoryHash(e.categoryId().get())) ? 0 : 1;
        }
        newHours += p.knowsHour(hour(e.timestampMillis(), zone)) ? 0 : 1;
      }
      newCategory += cats == 0 ? 0 : (double) newCats / cats;
      newHour += (double) newHours / s.events().size();
    }
    return new ActorHistory(actors, offsets, out, shares, raw.populationLogGap,
        withHistory == 0 ? 0 : newCategory / withHistory, withHistory == 0 ? 0 : newHour / withHistory,
        training.isEmpty() ? 0 : (double) withHistory / training.size());
  }

  /** Sorts {@code n} (timestamp, index) pairs held flat by timestamp, then index: stable for equal times. */
  private static void sortPairs(long[] a, int n) {
    long[][] p = new long[n][];
    for (int i = 0; i < n; i++) {
      p[i] = new long[] {a[2 * i], a[2 * i + 1]};
    }
    Arrays.sort(p, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    for (int i = 0; i < n; i++) {
      a[2 * i] = p[i][0];
      a[2 * i + 1] = p[i][1];
    }
  }

  /** What {@code actor} did in the sessions that ended before {@code time}. */
  Prior before(String actor, long time) {
    int i = Arrays.binarySearch(actors, actorHash(actor));
    if (i < 0) {
      return Prior.NONE;
    }
    int sessions = 0;
    int events = 0;
    int[] actions = new int[TYPES];
    long[] categories = new long[CATEGORY_WORDS];
    int hours = 0;
    double logGaps = 0;
    int gaps = 0;
    Summaries s = summaries;
    for (int j = offsets[i]; j < offsets[i + 1]; j++) {
      if (s.end[j] >= time) {
        break; // oldest first: the rest ended later
      }
      sessions += s.sessions[j];
      for (int a = 0; a < TYPES; a++) {
        actions[a] += s.actions[j * TYPES + a];
        events += s.actions[j * TYPES + a];
      }
      for (int w = 0; w < CATEGORY_WORDS; w++) {
        categories[w] |= s.categories[j * CATEGORY_WORDS + w];
      }
      hours |= s.hours[j];
      logGaps += s.logGaps[j];
      gaps += s.gaps[j];
    }
    return sessions == 0 ? Prior.NONE : new Prior(sessions, events, actions, categories, hours, logGaps, gaps);
  }

  double populationShare(int action) {
    return populationShares[action];
  }

  double populationLogGap() {
    return populationLogGap;
  }

  double populationNewCategory() {
    return populationNewCategory;
  }

  double populationNewHour() {
    return populationNewHour;
  }

  /** Share of the training sequences that had any history before them. */
  double coverage() {
    return coverage;
  }

  /** Actors kept. */
  int actors() {
    return actors.length;
  }

  /** Session summaries kept. */
  int summaries() {
    return summaries.size;
  }

  private static final int LAYOUT = 1;
  /** The most actors and summaries a file may declare. */
  static final int MAX_ACTORS = 50_000_000;

  void write(DataOutput out) throws IOException {
    out.writeInt(LAYOUT);
    out.writeInt(TYPES);
    for (double v : populationShares) {
      out.writeDouble(v);
    }
    out.writeDouble(populationLogGap);
    out.writeDouble(populationNewCategory);
    out.writeDouble(populationNewHour);
    out.writeDouble(coverage);
    out.writeInt(actors.length);
    out.writeInt(summaries.size);
    for (int i = 0; i < actors.length; i++) {
      out.writeLong(actors[i]);
      out.writeShort(offsets[i + 1] - offsets[i]);
    }
    Summaries s = summaries;
    for (int j = 0; j < s.size; j++) {
      out.writeLong(s.start[j]);
      out.writeLong(s.end[j]);
      out.writeInt(s.sessions[j]);
      for (int a = 0; a < TYPES; a++) {
        out.writeInt(s.actions[j * TYPES + a]);
      }
      for (int w = 0; w < CATEGORY_WORDS; w++) {
        out.writeLong(s.categories[j * CATEGORY_WORDS + w]);
      }
      out.writeInt(s.hours[j]);
      out.writeFloat(s.logGaps[j]);
      out.writeInt(s.gaps[j]);
    }
  }

  /**
   * Reads what {@link #write} wrote; {@code bytes} is the file's size, against which the declared
   * counts are checked before anything is allocated.
   *
   * @throws ModelFormatException when it is inconsistent
   */
  static ActorHistory read(DataInput in, long bytes) throws IOException {
    int layout = in.readInt();
    int types = in.readInt();
    if (layout != LAYOUT || types != TYPES) {
      throw new ModelFormatException("actor history: layout " + layout + " with " + types + " action types; expected "
          + "layout " + LAYOUT + " with " + TYPES);
    }
    double[] shares = new double[TYPES];
    for (int a = 0; a < TYPES; a++) {
      shares[a] = in.readDouble();
    }
    double logGap = in.readDouble();
    double newCategory = in.readDouble();
    double newHour = in.readDouble();
    double coverage = in.readDouble();
    int n = in.readInt();
    int m = in.readInt();
    long need = 48L + 8 * TYPES + 10L * Math.max(0, n) + (32L + 4 * TYPES + 8 * CATEGORY_WORDS) * Math.max(0, m);
    if (n < 0 || m < n || n > MAX_ACTORS || m > (long) n * (KEPT_SESSIONS + 1) || need > bytes) {
      throw new ModelFormatException("actor history declares " + n + " actors and " + m + " session summaries ("
          + need + " bytes) in a file of " + bytes + " bytes");
    }
    long[] actors = new long[n];
    int[] offsets = new int[n + 1];
    for (int i = 0; i < n; i++) {
      actors[i] = in.readLong();
      int c = in.readShort();
      if (c < 1 || c > KEPT_SESSIONS + 1 || i > 0 && actors[i] <= actors[i - 1]) {
        throw new ModelFormatException("actor history: actor " + i + " is out of order or has " + c + " summaries");
      }
      offsets[i + 1] = offsets[i] + c;
    }
    if (offsets[n] != m) {
      throw new ModelFormatException("actor history: the actors hold " + offsets[n] + " summaries, the file declares " + m);
    }
    Summaries s = new Summaries(m);
    for (int j = 0; j < m; j++) {
      s.add();
      s.start[j] = in.readLong();
      s.end[j] = in.readLong();
      s.sessions[j] = in.readInt();
      for (int a = 0; a < TYPES; a++) {
        s.actions[j * TYPES + a] = in.readInt();
      }
      for (int w = 0; w < CATEGORY_WORDS; w++) {
        s.categories[j * CATEGORY_WORDS + w] = in.readLong();
      }
      s.hours[j] = in.readInt();
      s.logGaps[j] = in.readFloat();
      s.gaps[j] = in.readInt();
      if (s.end[j] < s.start[j] || s.sessions[j] < 1) {
        throw new ModelFormatException("actor history: summary " + j + " ends before it starts or holds no session");
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = offsets[i] + 1; j < offsets[i + 1]; j++) {
        if (s.end[j] < s.end[j - 1]) {
          throw new ModelFormatException("actor history: the summaries of actor " + i + " are not in time order");
        }
      }
    }
    return new ActorHistory(actors, offsets, s, shares, logGap, newCategory, newHour, coverage);
  }
}
