package io.seqwatch.core.prep;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private static final io.seqwatch.spi.OptionSpec GAP =
      io.seqwatch.spi.OptionSpec.ofString("gap", "30m", "inactivity that ends a sequence (30s, 5m, 2h)");
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
        if (spec.startsWith("gap:")) { // the spec grammar (ProviderSpec): gap and its bare value
          try {
            String value = io.seqwatch.core.registry.ProviderSpec.parse("grouping", spec, List.of(GAP)).values()
                .get(GAP.name());
            gap = value == null ? null : DurationSpec.parse(value);
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
    int[] rows = new int[events.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return objects(events, EventTable.of(events), rows);
  }

  /**
   * Cleans {@code events} with {@code cleaning} and groups them, as {@code group(cleaning.apply(events))}
   * does but building the column store once for both steps; the sequences hold the given event objects.
   */
  public List<BehaviorSequence> group(Preprocessor cleaning, List<BehaviorEvent> events) {
    EventTable table = EventTable.of(events);
    return objects(events, table, cleaning.order(table, r -> { }));
  }

  /** The sequences of {@code order} (rows of {@code table}, which holds {@code events}), built of the event objects. */
  private List<BehaviorSequence> objects(List<BehaviorEvent> events, EventTable table, int[] order) {
    Index index = index(table, order);
    List<BehaviorSequence> out = new ArrayList<>(index.count());
    for (int g = 0; g < index.count(); g++) {
      BehaviorEvent[] members = new BehaviorEvent[index.offsets[g + 1] - index.offsets[g]];
      for (int k = 0; k < members.length; k++) {
        members[k] = events.get(index.rows[index.offsets[g] + k]);
      }
      out.add(new BehaviorSequence(index.key(table, g), List.of(members)));
    }
    return out;
  }

  /**
   * Groups a table's rows into sequences without copying its events: the rows in {@code order}
   * (time order, as {@link Preprocessor#order} returns them) are sorted by sequence (one {@code int}
   * each, plus 8-16 bytes per sequence), and the list builds each sequence from the table when it is
   * read. Same sequences, keys and order as {@link #group(List)} on the same events.
   *
   * <p>The list is immutable and may be read concurrently; it keeps the table.
   */
  public TableSequences group(EventTable table, int[] order) {
    return new TableSequences(table, index(table, order));
  }

  /** Which rows form which sequence: rows[offsets[g] .. offsets[g + 1]) in time order. */
  final class Index {
    final int[] rows;
    final int[] offsets;
    final int[] stream; // stream key id per sequence
    final long[] start; // first event time per sequence, gap grouping only

    Index(int[] rows, int[] offsets, int[] stream, long[] start) {
      this.rows = rows;
      this.offsets = offsets;
      this.stream = stream;
      this.start = start;
    }

    int count() {
      return stream.length;
    }

    String key(EventTable table, int g) {
      String s = table.keyText(stream[g]);
      return start == null ? s : burstKey(s, start[g]);
    }
  }

  private Index index(EventTable table, int[] order) {
    boolean bySession = spec.equals("session");
    int n = order.length;
    int[] groupOfStream = new int[table.keyCount()];
    java.util.Arrays.fill(groupOfStream, -1);
    long[] last = gap == null ? null : new long[table.keyCount()];
    int[] groupAt = new int[n];
    int[] stream = new int[16];
    long[] start = gap == null ? null : new long[16];
    int groups = 0;
    for (int p = 0; p < n; p++) {
      int row = order[p];
      int session = bySession ? table.session(row) : -1;
      int key = session >= 0 ? session : table.actor(row);
      long time = table.time(row);
      int g = groupOfStream[key];
      if (g < 0 || last != null && breaksBurst(last[key], time)) {
        if (groups == stream.length) {
          stream = java.util.Arrays.copyOf(stream, groups + (groups >> 1));
          start = start == null ? null : java.util.Arrays.copyOf(start, stream.length);
        }
        g = groups++;
        groupOfStream[key] = g;
        stream[g] = key;
        if (start != null) {
          start[g] = time;
        }
      }
      if (last != null) {
        last[key] = time;
      }
      groupAt[p] = g;
    }
    int[] offsets = new int[groups + 1];
    for (int g : groupAt) {
      offsets[g + 1]++;
    }
    for (int g = 0; g < groups; g++) {
      offsets[g + 1] += offsets[g];
    }
    int[] next = java.util.Arrays.copyOf(offsets, groups);
    int[] rows = new int[n];
    for (int p = 0; p < n; p++) {
      rows[next[groupAt[p]]++] = order[p];
    }
    return new Index(rows, offsets, java.util.Arrays.copyOf(stream, groups),
        start == null ? null : java.util.Arrays.copyOf(start, groups));
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
