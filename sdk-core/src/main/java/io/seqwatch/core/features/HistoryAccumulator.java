package io.seqwatch.core.features;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.ZoneId;
import java.util.List;

/**
 * The per-actor baseline features of a growing sequence: how it differs from what the same actor did
 * before it started ({@link ActorHistory}), each shrunk towards the training population when the
 * actor's history is short (weight {@code h / (h + 20)} for {@code h} events of history), so that a
 * new actor is neither suspicious nor trusted for being new:
 *
 * <ul>
 *   <li>{@code history_sessions}: the actor's sessions before this sequence (0 for a new actor);
 *   <li>{@code new_category_share}: share of its events with a category the actor never visited;
 *   <li>{@code new_hour_share}: share of its events at an hour of day the actor was never active;
 *   <li>{@code action_shift}: total variation distance between its action shares and the actor's;
 *   <li>{@code pace_shift}: its mean log10(1 + gap seconds) less the actor's (negative: faster);
 *   <li>{@code first_purchase}: it buys and the actor never bought before.
 * </ul>
 *
 * <p>Thread-safety: not thread-safe; part of one {@link BehaviorAccumulator}.
 */
final class HistoryAccumulator {
  static final List<String> NAMES = List.of("history_sessions", "new_category_share", "new_hour_share",
      "action_shift", "pace_shift", "first_purchase");
  /** Events of history that weigh as much as the population prior. */
  static final double PRIOR_EVENTS = 20;
  private static final int TYPES = ActionType.values().length;
  private static final int PURCHASE = ActionType.PURCHASE.ordinal();

  private final ActorHistory history;
  private final ZoneId zone;
  private String actor;
  private long start;
  private ActorHistory.Prior prior = ActorHistory.Prior.NONE;
  private int categoryEvents;
  private int newCategoryEvents;
  private int newHourEvents;
  private double logGaps;

  HistoryAccumulator(ActorHistory history, ZoneId zone) {
    this.history = history;
    this.zone = zone;
  }

  /** Adds the next event; {@code gapMillis} is -1 for the first. */
  void add(BehaviorEvent e, long gapMillis) {
    if (actor == null) {
      actor = SignalAccumulator.cut(e.actorId());
      start = e.timestampMillis();
      prior = history.before(actor, start);
    } else {
      logGaps += ActorHistory.logGap(gapMillis);
    }
    if (e.categoryId().isPresent()) {
      categoryEvents++;
      newCategoryEvents += prior.knowsCategory(ActorHistory.categoryHash(e.categoryId().get())) ? 0 : 1;
    }
    newHourEvents += prior.knowsHour(ActorHistory.hour(e.timestampMillis(), zone)) ? 0 : 1;
  }

  /** Writes the features from {@code v[k]} on, for {@code n} events with these action counts; returns the next k. */
  int features(double[] v, int k, int n, int[] counts) {
    double w = prior.events() / (prior.events() + PRIOR_EVENTS);
    v[k++] = prior.sessions();
    v[k++] = categoryEvents == 0 ? history.populationNewCategory()
        : w * newCategoryEvents / categoryEvents + (1 - w) * history.populationNewCategory();
    v[k++] = w * newHourEvents / n + (1 - w) * history.populationNewHour();
    double shift = 0;
    for (int a = 0; a < TYPES; a++) {
      double usual = (prior.actions()[a] + PRIOR_EVENTS * history.populationShare(a)) / (prior.events() + PRIOR_EVENTS);
      shift += Math.abs((double) counts[a] / n - usual);
    }
    v[k++] = shift / 2;
    double usualGap = (prior.logGaps() + PRIOR_EVENTS * history.populationLogGap()) / (prior.gaps() + PRIOR_EVENTS);
    v[k++] = n < 2 ? 0 : logGaps / (n - 1) - usualGap;
    v[k++] = counts[PURCHASE] > 0 && prior.actions()[PURCHASE] == 0 ? w : 0;
    return k;
  }

  long memoryBytes() {
    return 96 + (actor == null ? 0 : 40 + 2L * actor.length()) + (prior == ActorHistory.Prior.NONE ? 0 : 120);
  }

  void write(DataOutput out) throws IOException {
    out.writeBoolean(actor != null);
    if (actor == null) {
      return;
    }
    out.writeUTF(actor);
    out.writeLong(start);
    out.writeInt(categoryEvents);
    out.writeInt(newCategoryEvents);
    out.writeInt(newHourEvents);
    out.writeDouble(logGaps);
  }

  static HistoryAccumulator read(DataInput in, ActorHistory history, ZoneId zone, int events) throws IOException {
    HistoryAccumulator h = new HistoryAccumulator(history, zone);
    if (!in.readBoolean()) {
      return h;
    }
    h.actor = in.readUTF();
    h.start = in.readLong();
    h.prior = history.before(h.actor, h.start);
    h.categoryEvents = in.readInt();
    h.newCategoryEvents = in.readInt();
    h.newHourEvents = in.readInt();
    h.logGaps = in.readDouble();
    if (h.categoryEvents < 0 || h.categoryEvents > events || h.newCategoryEvents < 0
        || h.newCategoryEvents > h.categoryEvents || h.newHourEvents < 0 || h.newHourEvents > events
        || !(h.logGaps >= 0)) {
      throw new ModelFormatException("streaming state: actor history counts out of range for " + events + " events");
    }
    return h;
  }
}
