package io.seqwatch.core.prep;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A seeded uniform sample of actors taken while events stream by, keeping every event of a sampled
 * actor (so its sequences stay whole) and nothing of the others: memory holds the sample, not the
 * input. Each actor gets a 64-bit hash of the seed and its id; {@link #ofShare a share} keeps the
 * actors whose hash falls below the share of the range, {@link #ofActors a count} keeps the
 * {@code n} actors with the smallest hashes (bottom-k: an actor that enters evicts the largest and
 * its events). Either way the sample does not depend on the order of the input, and equal seeds
 * give equal samples.
 *
 * <pre>{@code
 * ActorSample sample = ActorSample.parse("50000", 42);
 * reader.read(file, sample, rejected);
 * List<BehaviorEvent> events = sample.events();   // read order
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; feed it from one thread.
 */
public final class ActorSample implements io.seqwatch.core.io.SharesValues {
  private static final HashFunction HASH = Hashing.murmur3_128();
  /** Dead rows below this are not worth a compaction (a few MB of columns). */
  private static final int MIN_DEAD = 65_536;

  private final long seed;
  private final double share;
  private final int actors;
  /** Kept actors' events in arrival order, column-wise (rows of evicted actors until compaction). */
  private EventTable table = new EventTable();
  /** Events per kept actor. */
  private final Map<String, int[]> kept = new HashMap<>();
  /** Kept actors by hash (count mode). */
  private final TreeMap<Long, String> byHash = new TreeMap<>();
  private final java.util.Set<String> seenDropped = new java.util.HashSet<>();
  /** Rows of the table whose actor was evicted since the last compaction. */
  private int dead;
  /** Fewest dead rows that make a compaction worth it. */
  private final int minDead;
  private long arrivals;
  private long events;

  private ActorSample(long seed, double share, int actors, int minDead) {
    this.seed = seed;
    this.share = share;
    this.actors = actors;
    this.minDead = minDead;
  }

  /**
   * A share of all actors, in (0, 1].
   *
   * @throws ConfigurationException for a share outside (0, 1]
   */
  public static ActorSample ofShare(double share, long seed) {
    if (!(share > 0 && share <= 1)) {
      throw new ConfigurationException("a sample share must be in (0, 1]: " + share);
    }
    return new ActorSample(seed, share, 0, MIN_DEAD);
  }

  /**
   * At most {@code n} actors, uniformly.
   *
   * @throws ConfigurationException for {@code n < 1}
   */
  public static ActorSample ofActors(int n, long seed) {
    return ofActors(n, seed, MIN_DEAD);
  }

  /** {@link #ofActors(int, long)}, compacting once {@code minDead} evicted rows outnumber the live ones. */
  static ActorSample ofActors(int n, long seed, int minDead) {
    if (n < 1) {
      throw new ConfigurationException("a sample needs at least one actor: " + n);
    }
    return new ActorSample(seed, 0, n, minDead);
  }

  /**
   * {@code N} (a whole number of actors) or {@code R} (a share in (0, 1), e.g. {@code 0.1}).
   *
   * @throws ConfigurationException for anything else
   */
  public static ActorSample parse(String spec, long seed) {
    String s = spec.trim();
    try {
      if (s.matches("\\d+")) {
        return ofActors(Integer.parseInt(s), seed);
      }
      double r = Double.parseDouble(s);
      if (r > 0 && r < 1) {
        return ofShare(r, seed);
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new ConfigurationException("sample '" + spec + "' is neither a number of actors (e.g. 50000) nor a share in "
        + "(0, 1) (e.g. 0.1)");
  }

  /** A 63-bit hash of the seed and the actor (non-negative, so signed order is the hash order). */
  private static long hash(String actor, long seed) {
    return HASH.newHasher().putLong(seed).putString(actor, StandardCharsets.UTF_8).hash().asLong() >>> 1;
  }

  /**
   * Whether a share sample ({@link #ofShare}) with this seed keeps {@code actor}: a pure function of
   * the three, so that any process (a Flink job over a cluster-sized log, say) draws the sample
   * {@code train --sample R --seed S} would.
   */
  public static boolean inShare(String actor, double share, long seed) {
    return inShare(hash(actor, seed), share);
  }

  private static boolean inShare(long hash, double share) {
    return (hash >>> 10) * 0x1.0p-53 < share;
  }

  @Override
  public void accept(BehaviorEvent e) {
    arrivals++;
    String actor = e.actorId();
    int[] count = kept.get(actor);
    if (count == null) {
      if (seenDropped.contains(actor)) {
        return;
      }
      long h = hash(actor, seed);
      if (actors == 0) {
        if (!inShare(h, share)) {
          remember(actor);
          return;
        }
      } else if (byHash.size() >= actors) {
        Map.Entry<Long, String> largest = byHash.lastEntry();
        if (h >= largest.getKey()) {
          remember(actor);
          return;
        }
        String out = largest.getValue();
        byHash.remove(largest.getKey());
        int gone = kept.remove(out)[0];
        events -= gone;
        dead += gone;
        remember(out);
      }
      if (actors > 0) {
        byHash.put(h, actor);
      }
      count = new int[1];
      kept.put(actor, count);
    }
    if (dead > minDead && dead > table.size() - dead) {
      compact();
    }
    table.add(e);
    count[0]++;
    events++;
  }

  /** Drops the rows of evicted actors: memory stays within twice the sample. */
  private void compact() {
    EventTable live = new EventTable();
    for (int i = 0; i < table.size(); i++) {
      BehaviorEvent e = table.event(i);
      if (kept.containsKey(e.actorId())) {
        live.add(e);
      }
    }
    table = live;
    dead = 0;
  }

  /**
   * Remembers an actor left out, so its later events are skipped without hashing. Bounded: past
   * a million names the memory is dropped and an actor is hashed again (same answer).
   */
  private void remember(String actor) {
    if (seenDropped.size() >= 1_000_000) {
      seenDropped.clear();
    }
    seenDropped.add(actor);
  }

  /** The kept events in the order they arrived. */
  public List<BehaviorEvent> events() {
    EventTable t = table();
    List<BehaviorEvent> out = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      out.add(t.event(i));
    }
    return out;
  }

  /**
   * The kept events in the order they arrived, column-wise ({@link EventTable}: tens of bytes per
   * event where {@link #events()} holds objects); the sample's own table, not to be changed.
   */
  public EventTable table() {
    if (dead > 0) {
      compact();
    }
    return table;
  }

  /** Rows held now, evicted actors' included (at most twice the kept events, or the compaction floor). */
  int heldRows() {
    return table.size();
  }

  /** Actors kept. */
  public int keptActors() {
    return kept.size();
  }

  /** Events kept. */
  public long keptEvents() {
    return events;
  }

  /** Events offered. */
  public long offered() {
    return arrivals;
  }

  /** For people: {@code sampled 5,000 actors (41,200 events of 96,168 read)}. */
  public String text() {
    return String.format(Locale.ROOT, "sampled %,d actors (%,d events of %,d read)", keptActors(), events, arrivals);
  }
}
