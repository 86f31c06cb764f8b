package io.seqwatch.core.prep;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How events become sequences: by actor, by session id (events without one fall back to their
 * actor), or by inactivity gap (a new sequence starts after {@code gap} without events; keys are
 * {@code actor#<first event's instant>}, such as {@code u7#2017-11-25T09:14:02Z}, so that a key depends
 * only on the events, not on how much of the actor's past a scorer still held).
 *
 * <p>Written {@code actor}, {@code session} or {@code gap:30m} (units s, m, h). Thread-safety:
 * immutable.
 */
public final class Grouping {
  private final String spec;
  private final Duration gap;

  private Grouping(String spec, Duration gap) {
    this.spec = spec;
    this.gap = gap;
  }

  public static Grouping byActor() {
    return new Grouping("actor", null);
  }

  public static Grouping bySession() {
    return new Grouping("session", null);
  }

  public static Grouping byGap(Duration gap) {
    if (gap.isNegative() || gap.isZero()) {
      throw new ConfigurationException("gap must be positive: " + gap);
    }
    return new Grouping("gap:" + DurationSpec.format(gap), gap);
  }

  /**
   * Parses {@code actor}, {@code session} or {@code gap:<duration>} ({@link DurationSpec}: 30s, 5m, 2h).
   *
   * @throws ConfigurationException for anything else
   */
  public static Grouping parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    switch (spec) {
      case "actor":
        return byActor();
      case "session":
        return bySession();
      default:
        Duration gap = null;
        if (spec.startsWith("gap:")) {
          try {
            gap = DurationSpec.parse(spec.substring(4));
          } catch (ConfigurationException e) {
            // the message below
          }
        }
        if (gap != null) {
          return byGap(gap);
        }
        throw new ConfigurationException(
            "unknown grouping '" + spec + "'; use actor, session or gap:<n><s|m|h> such as gap:30m");
    }
  }

  /** The spec this grouping was written as. */
  public String spec() {
    return spec;
  }

  /**
   * The key of the stream an event belongs to: its session id under {@code session} grouping (its
   * actor when it has none), else its actor. Under {@code gap:} grouping the stream of an actor is
   * cut into bursts ({@link #breaksBurst}, {@link #burstKey}). Batch grouping, the streaming scorer
   * and the Flink job all key events with this one rule.
   */
  public String streamKey(BehaviorEvent e) {
    return spec.equals("session") ? e.sessionId().orElse(e.actorId()) : e.actorId();
  }

  /** Whether an event at {@code time} starts a new burst after the previous event at {@code previous}. */
  public boolean breaksBurst(long previous, long time) {
    return gap != null && time - previous > gap.toMillis();
  }

  /**
   * The sequence key of the burst of a stream whose first event is at {@code startMillis}; the stream
   * key itself without gap grouping.
   */
  public String burstKey(String streamKey, long startMillis) {
    return gap == null ? streamKey : streamKey + "#" + java.time.Instant.ofEpochMilli(startMillis);
  }

  /**
   * Groups time-ordered events into sequences, in order of each sequence's first event.
   *
   * @param events events ordered by time (as {@link Preprocessor#apply} returns them)
   */
  public List<BehaviorSequence> group(List<BehaviorEvent> events) {
    Map<String, List<BehaviorEvent>> groups = new LinkedHashMap<>();
    if (gap == null) { // a sequence per stream key: one lookup per event
      for (BehaviorEvent e : events) {
        groups.computeIfAbsent(streamKey(e), k -> new ArrayList<>()).add(e);
      }
      return sequences(groups);
    }
    Map<String, long[]> bursts = new HashMap<>(); // stream key -> {last timestamp, burst start}
    for (BehaviorEvent e : events) {
      String stream = streamKey(e);
      long[] b = bursts.get(stream);
      if (b == null) {
        b = new long[] {e.timestampMillis(), e.timestampMillis()};
        bursts.put(stream, b);
      } else if (breaksBurst(b[0], e.timestampMillis())) {
        b[1] = e.timestampMillis();
      }
      b[0] = e.timestampMillis();
      groups.computeIfAbsent(burstKey(stream, b[1]), k -> new ArrayList<>()).add(e);
    }
    return sequences(groups);
  }

  private static List<BehaviorSequence> sequences(Map<String, List<BehaviorEvent>> groups) {
    List<BehaviorSequence> out = new ArrayList<>(groups.size());
    groups.forEach((k, v) -> out.add(new BehaviorSequence(k, v)));
    return out;
  }

  /** The inactivity gap of a {@code gap:} grouping. */
  public java.util.Optional<Duration> gap() {
    return java.util.Optional.ofNullable(gap);
  }

  @Override
  public String toString() {
    return spec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grouping g && g.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }
}
