package io.seqwatch.core.inject;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.eval.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Grafts labelled attacks into a real event log, so that a detector can be measured on traffic
 * nobody simulated: the normal behaviour is the log's own, and the attackers use the log's own
 * items, categories, prices, action names and time span. Attack kinds are assigned in turn
 * ({@link AttackKind}); each attacker's parameters are drawn at random. New attackers get actor
 * ids the log does not use (numeric where the log's are numeric); an {@link
 * AttackKind#ACCOUNT_TAKEOVER account takeover} continues a real actor with 3+ events, whose key
 * becomes anomalous.
 *
 * <pre>{@code
 * Injected inj = Injector.builder().rate(0.05).seed(7).build().inject(realEvents);
 * List<BehaviorEvent> all = inj.merged(realEvents);   // real + attacks, in time order
 * Labels labels = inj.labels();                         // every actor: label and kind
 * }</pre>
 *
 * <p>With {@link Builder#signals(boolean) signals} on, the real actors and the attackers also get
 * device, IP address and user-agent attributes ({@link TrafficSignals} describes them), so the
 * features over these signals can be measured; the real events get theirs in {@link
 * Injected#merged}.
 *
 * <p>Equal input, settings and seed give identical output. Thread-safety: immutable; {@link
 * #inject} may run concurrently.
 */
public final class Injector {
  private final double rate;
  private final long seed;
  private final Set<AttackKind> kinds;
  private final boolean signals;
  private final boolean lengthsLikeLog;

  /** The fewest events an attacker gets when lengths are drawn from the log: one gap at least. */
  public static final int MIN_LENGTH = 2;

  private Injector(Builder b) {
    this.rate = b.rate;
    this.seed = b.seed;
    this.signals = b.signals;
    this.lengthsLikeLog = b.lengthsLikeLog;
    this.kinds = b.kinds.isEmpty() ? EnumSet.allOf(AttackKind.class) : EnumSet.copyOf(b.kinds);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The injected attack events and the labels of every actor, real and injected.
   *
   * @param attacks the attack events (with their signals when the injector added signals)
   * @param labels every actor's label and, for attackers, kind
   * @param counts attackers per kind
   * @param skipped kinds the log could not express
   * @param signalSeed the seed of the real actors' signals, when the injector added signals
   */
  public record Injected(List<BehaviorEvent> attacks, Labels labels, Map<AttackKind, Integer> counts,
      Set<AttackKind> skipped, java.util.OptionalLong signalSeed) {
    public Injected {
      attacks = List.copyOf(attacks);
      Objects.requireNonNull(labels, "labels");
      counts = Map.copyOf(counts);
      skipped = Set.copyOf(skipped);
      Objects.requireNonNull(signalSeed, "signalSeed");
    }

    /** Injected attacks without traffic signals. */
    public Injected(List<BehaviorEvent> attacks, Labels labels, Map<AttackKind, Integer> counts,
        Set<AttackKind> skipped) {
      this(attacks, labels, counts, skipped, java.util.OptionalLong.empty());
    }

    /** The real events as {@link #merged} has them: with their actors' signals when signals were added. */
    public List<BehaviorEvent> real(List<BehaviorEvent> real) {
      return signalSeed.isPresent() ? new TrafficSignals(signalSeed.getAsLong()).real(real) : real;
    }

    /** Attackers injected (every key labelled anomalous). */
    public long attackers() {
      return labels.asMap().values().stream().filter(b -> b).count();
    }

    /** Attackers per kind, for people: {@code click_bot 439, scraper 439, ...} in kind order. */
    public String countsText() {
      return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> e.getKey().label() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The kinds the log could not express, for people: labels sorted, comma-separated (empty when none). */
    public String skippedText() {
      return skipped.stream().map(AttackKind::label).sorted().collect(java.util.stream.Collectors.joining(", "));
    }

    /** The real events and the attacks together, ordered by time (stable: real events first on ties). */
    public List<BehaviorEvent> merged(List<BehaviorEvent> real) {
      List<BehaviorEvent> all = new ArrayList<>(real.size() + attacks.size());
      all.addAll(real(real));
      all.addAll(attacks);
      all.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
      return all;
    }
  }

  /** What the log offers the attackers: its items, actions, actors and time span. */
  private static final class Pool {
    final List<BehaviorEvent> items = new ArrayList<>(); // one event per distinct item
    final Map<String, List<BehaviorEvent>> byCategory = new LinkedHashMap<>();
    final List<String> categories;
    final List<BehaviorEvent> popular; // items by descending count, top share
    final Map<String, List<BehaviorEvent>> byActor = new LinkedHashMap<>();
    final Map<ActionType, String> actionName = new EnumMap<>(ActionType.class);
    final long start;
    final long end;
    final boolean numericActors;
    final boolean sessions;
    long maxNumericActor;

    Pool(List<BehaviorEvent> events) {
      Map<String, Integer> itemCount = new HashMap<>();
      Map<String, BehaviorEvent> itemEvent = new LinkedHashMap<>();
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      boolean numeric = true;
      boolean anySession = false;
      for (BehaviorEvent e : events) {
        lo = Math.min(lo, e.timestampMillis());
        hi = Math.max(hi, e.timestampMillis());
        actionName.putIfAbsent(e.type(), e.action());
        byActor.computeIfAbsent(e.actorId(), k -> new ArrayList<>()).add(e);
        anySession |= e.sessionId().isPresent();
        if (numeric) {
          try {
            maxNumericActor = Math.max(maxNumericActor, Long.parseLong(e.actorId()));
          } catch (NumberFormatException x) {
            numeric = false;
          }
        }
        if (e.itemId().isPresent()) {
          itemCount.merge(e.itemId().get(), 1, Integer::sum);
          itemEvent.putIfAbsent(e.itemId().get(), e);
        }
      }
      this.start = lo;
      this.end = hi;
      this.numericActors = numeric;
      this.sessions = anySession;
      items.addAll(itemEvent.values());
      for (BehaviorEvent e : items) {
        byCategory.computeIfAbsent(e.categoryId().orElse(""), k -> new ArrayList<>()).add(e);
      }
      categories = new ArrayList<>(byCategory.keySet());
      List<BehaviorEvent> sorted = new ArrayList<>(items);
      sorted.sort(Comparator.comparingInt((BehaviorEvent e) -> -itemCount.get(e.itemId().get()))
          .thenComparing(e -> e.itemId().get()));
      popular = sorted.subList(0, Math.max(1, Math.min(sorted.size(), Math.max(20, sorted.size() / 100))));
      for (List<BehaviorEvent> l : byActor.values()) {
        l.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
      }
    }

    boolean has(ActionType t) {
      return actionName.containsKey(t);
    }

    /** The real sequences' event counts: per session where the log has sessions, else per actor. */
    int[] sequenceLengths() {
      Map<List<String>, Integer> n = new HashMap<>();
      for (List<BehaviorEvent> actor : byActor.values()) {
        for (BehaviorEvent e : actor) {
          n.merge(List.of(e.actorId(), sessions ? e.sessionId().orElse("") : ""), 1, Integer::sum);
        }
      }
      return n.values().stream().mapToInt(Integer::intValue).sorted().toArray(); // sorted: no hash order
    }

    BehaviorEvent randomItem(Random r) {
      return items.get(r.nextInt(items.size()));
    }

    List<BehaviorEvent> category(String c) {
      return byCategory.get(c);
    }
  }

  /**
   * Injects attacks into {@code events} so that about {@code rate} of all actors are attackers.
   *
   * @throws ConfigurationException when the log has no items or fewer than 10 actors
   */
  public Injected inject(List<BehaviorEvent> events) {
    Pool pool = new Pool(events);
    if (pool.items.isEmpty()) {
      throw new ConfigurationException("the log has no item ids; attacks are made of the log's own items");
    }
    if (pool.byActor.size() < 10) {
      throw new ConfigurationException("the log has " + pool.byActor.size()
          + " actors; injecting attacks needs at least 10 real ones");
    }
    Set<AttackKind> skipped = EnumSet.noneOf(AttackKind.class);
    List<AttackKind> usable = new ArrayList<>();
    for (AttackKind k : kinds) {
      if (k.needsCart() && !(pool.has(ActionType.CART) && pool.has(ActionType.PURCHASE))) {
        skipped.add(k);
      } else {
        usable.add(k);
      }
    }
    List<String> owners = new ArrayList<>();
    for (Map.Entry<String, List<BehaviorEvent>> a : pool.byActor.entrySet()) {
      if (a.getValue().size() >= 3) {
        owners.add(a.getKey());
      }
    }
    if (owners.isEmpty() && usable.remove(AttackKind.ACCOUNT_TAKEOVER)) {
      skipped.add(AttackKind.ACCOUNT_TAKEOVER);
    }
    List<String> humans = new ArrayList<>();
    for (Map.Entry<String, List<BehaviorEvent>> a : pool.byActor.entrySet()) {
      if (a.getValue().size() >= 6) {
        humans.add(a.getKey());
      }
    }
    if (humans.isEmpty() && usable.remove(AttackKind.REPLAYED_SESSION)) {
      skipped.add(AttackKind.REPLAYED_SESSION);
    }
    if (usable.isEmpty()) {
      throw new ConfigurationException("none of the chosen attack kinds can be expressed in this log: " + skipped);
    }
    int real = pool.byActor.size();
    // attackers until they are `rate` of all keys (a takeover turns a real key, a new attacker adds one)
    List<AttackKind> plan = new ArrayList<>();
    int added = 0;
    while (plan.size() < (rate * (real + added)) - 0.5) {
      AttackKind k = usable.get(plan.size() % usable.size());
      plan.add(k);
      added += k == AttackKind.ACCOUNT_TAKEOVER ? 0 : 1;
    }
    Random pick = new Random(seed);
    java.util.Collections.shuffle(owners, pick);
    List<BehaviorEvent> attacks = new ArrayList<>();
    Map<String, Boolean> labels = new LinkedHashMap<>();
    Map<String, String> kindOf = new LinkedHashMap<>();
    for (String a : pool.byActor.keySet()) {
      labels.put(a, false);
    }
    Set<String> taken = new HashSet<>(pool.byActor.keySet());
    int[] realLengths = lengthsLikeLog ? pool.sequenceLengths() : new int[0];
    Map<AttackKind, Integer> counts = new EnumMap<>(AttackKind.class);
    int ownerIndex = 0;
    TrafficSignals traffic = new TrafficSignals(seed);
    for (int i = 0; i < plan.size(); i++) {
      AttackKind k = plan.get(i);
      Random r = new Random(seed * 1_000_003L + i);
      // a length of its own generator, so that the attacks' other draws are those of the kinds' own lengths
      int cut = lengthsLikeLog ? Math.max(MIN_LENGTH, realLengths[new Random(~(seed * 1_000_003L + i)).nextInt(
          realLengths.length)]) : Integer.MAX_VALUE;
      @SuppressWarnings("unchecked")
      List<BehaviorEvent>[] replayed = new List[] {List.of()}; // the human a replay copies
      String actor;
      Optional<String> session;
      if (k == AttackKind.ACCOUNT_TAKEOVER) {
        if (ownerIndex >= owners.size()) {
          continue; // every owner with enough history is taken already
        }
        actor = owners.get(ownerIndex++);
        List<BehaviorEvent> history = pool.byActor.get(actor);
        BehaviorEvent last = history.get(history.size() - 1);
        // an actor that is one session (a log without user ids) keeps it; else the takeover is a new session
        boolean oneSession = history.stream().map(BehaviorEvent::sessionId).distinct().count() == 1;
        session = last.sessionId().isEmpty() || oneSession ? last.sessionId()
            : Optional.of(newSession(pool, r, last));
        long t = last.timestampMillis() + (30 * 60_000L + (long) (r.nextDouble() * 150 * 60_000L));
        List<BehaviorEvent> mine = takeover(pool, r, history, actor, session, t);
        mine = mine.subList(0, Math.min(mine.size(), cut));
        attacks.addAll(signals ? traffic.attack(k, i, mine, history) : mine);
      } else {
        actor = newActor(pool, r, taken);
        session = pool.sessions ? Optional.of(newSession(pool, r, null)) : Optional.empty();
        List<Step> plan1 = switch (k) {
          case CLICK_BOT -> clickBot(pool, r);
          case SCRAPER -> scraper(pool, r);
          case BRUSHING -> brushing(pool, r);
          case CART_ABUSE -> cartAbuse(pool, r);
          case REPLAYED_SESSION -> replay(pool, r, replayed[0] = pool.byActor.get(humans.get(r.nextInt(humans.size()))));
          case CREDENTIAL_STUFFING -> stuffing(pool, r);
          default -> throw new IllegalStateException(k.name());
        };
        long duration = plan1.get(plan1.size() - 1).at();
        long span = Math.max(0, pool.end - pool.start - duration);
        long t0 = pool.start + (long) (r.nextDouble() * span);
        plan1 = plan1.subList(0, Math.min(plan1.size(), cut)); // a cut attack starts where the whole one would
        List<BehaviorEvent> mine = new ArrayList<>(plan1.size());
        for (Step s : plan1) {
          mine.add(event(pool, actor, session, t0 + s.at(), s.type(), s.item()));
        }
        attacks.addAll(signals ? traffic.attack(k, i, mine, replayed[0]) : mine);
      }
      labels.put(actor, true);
      kindOf.put(actor, k.label());
      counts.merge(k, 1, Integer::sum);
    }
    return new Injected(attacks, new Labels(labels, kindOf), counts, skipped,
        signals ? java.util.OptionalLong.of(seed) : java.util.OptionalLong.empty());
  }

  /** One planned attack event: time from the attack's start, action, item. */
  private record Step(long at, ActionType type, BehaviorEvent item) {}

  private static BehaviorEvent event(Pool pool, String actor, Optional<String> session, long t, ActionType type,
      BehaviorEvent item) {
    return new BehaviorEvent(actor, session, t, pool.actionName.get(type), type, item.itemId(), item.categoryId(),
        item.price(), 0, item.attributes().without(PERSONAL));
  }

  /**
   * What an attack event does not take from the real event it borrows its item from: the attributes
   * of that person's request. The rest (a brand, a category code, a channel) comes along.
   */
  private static final Set<String> PERSONAL = Set.of(io.seqwatch.api.Attributes.DEVICE, io.seqwatch.api.Attributes.IP,
      io.seqwatch.api.Attributes.USER_AGENT, io.seqwatch.api.Attributes.QUERY, io.seqwatch.api.Attributes.REFERRER);

  private static String newActor(Pool pool, Random r, Set<String> taken) {
    while (true) {
      String id = pool.numericActors
          ? Long.toString(1 + (long) (r.nextDouble() * Math.max(1_000_000L, pool.maxNumericActor * 2)))
          : "u" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
      if (taken.add(id)) {
        return id;
      }
    }
  }

  private static String newSession(Pool pool, Random r, BehaviorEvent like) {
    String example = like != null ? like.sessionId().orElse("") : pool.items.get(0).sessionId().orElse("");
    if (!example.isEmpty() && example.chars().allMatch(Character::isDigit)) {
      return Long.toString(10_000_000L + (long) (r.nextDouble() * 1e9));
    }
    return new java.util.UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static long jitter(Random r, double meanMs, double share) {
    return Math.max(1, Math.round(meanMs * (1 + share * (2 * r.nextDouble() - 1))));
  }

  private static List<BehaviorEvent> sameCategoryItems(Pool pool, Random r, int n) {
    BehaviorEvent anchor = pool.randomItem(r);
    List<BehaviorEvent> c = pool.category(anchor.categoryId().orElse(""));
    List<BehaviorEvent> out = new ArrayList<>();
    out.add(anchor);
    for (int i = 1; i < n; i++) {
      out.add(c.get(r.nextInt(c.size())));
    }
    return out;
  }

  private static List<Step> clickBot(Pool pool, Random r) {
    List<BehaviorEvent> targets = sameCategoryItems(pool, r, 1 + r.nextInt(5));
    int n = 60 + r.nextInt(341);
    double pace = 1000 + r.nextDouble() * 5000;
    List<Step> out = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < n; i++) {
      out.add(new Step(t, ActionType.VIEW, targets.get(r.nextInt(targets.size()))));
      t += jitter(r, pace, 0.15);
    }
    return out;
  }

  private static List<Step> scraper(Pool pool, Random r) {
    int n = 80 + r.nextInt(521);
    double pace = 500 + r.nextDouble() * 2500;
    List<Step> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long t = 0;
    int c = r.nextInt(pool.categories.size());
    int tries = 0;
    while (out.size() < n && tries++ < 20 * n) {
      List<BehaviorEvent> cat = pool.category(pool.categories.get(c));
      BehaviorEvent it = null;
      for (BehaviorEvent e : cat) { // the category's next unseen item, in the log's order
        if (!seen.contains(e.itemId().get())) {
          it = e;
          break;
        }
      }
      if (it == null) {
        c = (c + 1) % pool.categories.size();
        continue;
      }
      seen.add(it.itemId().get());
      out.add(new Step(t, ActionType.VIEW, it));
      t += jitter(r, pace, 0.3);
    }
    return out;
  }

  private static List<Step> brushing(Pool pool, Random r) {
    List<BehaviorEvent> shop = sameCategoryItems(pool, r, 1 + r.nextInt(3));
    int cycles = 5 + r.nextInt(21);
    List<Step> out = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < cycles; i++) {
      BehaviorEvent it = shop.get(r.nextInt(shop.size()));
      out.add(new Step(t, ActionType.VIEW, it));
      t += 2000 + r.nextInt(6000);
      out.add(new Step(t, ActionType.CART, it));
      t += 2000 + r.nextInt(6000);
      out.add(new Step(t, ActionType.PURCHASE, it));
      t += 10_000 + r.nextInt(110_000);
    }
    return out;
  }

  private static List<Step> cartAbuse(Pool pool, Random r) {
    List<BehaviorEvent> items = sameCategoryItems(pool, r, 2 + r.nextInt(5));
    List<Step> out = new ArrayList<>();
    long t = 0;
    for (BehaviorEvent it : items) {
      out.add(new Step(t, ActionType.VIEW, it));
      t += 3000 + r.nextInt(30_000);
    }
    boolean removals = pool.has(ActionType.REMOVE_FROM_CART);
    int adds = 20 + r.nextInt(81);
    for (int i = 0; i < adds; i++) {
      BehaviorEvent it = items.get(r.nextInt(items.size()));
      out.add(new Step(t, ActionType.CART, it));
      t += 5000 + r.nextInt(295_000);
      if (removals && r.nextDouble() < 0.5) {
        out.add(new Step(t, ActionType.REMOVE_FROM_CART, it));
        t += 2000 + r.nextInt(30_000);
      }
    }
    return out;
  }

  private static List<BehaviorEvent> takeover(Pool pool, Random r, List<BehaviorEvent> history, String actor,
      Optional<String> session, long t) {
    Set<String> visited = new HashSet<>();
    for (BehaviorEvent e : history) {
      visited.add(e.categoryId().orElse(""));
    }
    boolean carts = pool.has(ActionType.CART) && pool.has(ActionType.PURCHASE);
    int runs = 3 + r.nextInt(10);
    List<BehaviorEvent> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      BehaviorEvent it = pool.randomItem(r);
      for (int tries = 0; tries < 20 && visited.contains(it.categoryId().orElse("")); tries++) {
        it = pool.randomItem(r);
      }
      out.add(event(pool, actor, session, t, ActionType.VIEW, it));
      t += 2000 + r.nextInt(8000);
      if (carts) {
        out.add(event(pool, actor, session, t, ActionType.CART, it));
        t += 2000 + r.nextInt(8000);
        out.add(event(pool, actor, session, t, ActionType.PURCHASE, it));
        t += 2000 + r.nextInt(8000);
      }
    }
    return out;
  }

  private static List<Step> replay(Pool pool, Random r, List<BehaviorEvent> human) {
    int replays = 2 + r.nextInt(5);
    double pace = 1000 + r.nextDouble() * 1000;
    List<Step> out = new ArrayList<>();
    long t = 0;
    for (int k = 0; k < replays; k++) {
      for (BehaviorEvent e : human) {
        out.add(new Step(t, e.type(), e.itemId().isPresent() ? e : pool.randomItem(r)));
        t += jitter(r, pace, 0.1);
      }
    }
    return out;
  }

  private static List<Step> stuffing(Pool pool, Random r) {
    int bursts = 15 + r.nextInt(46);
    List<Step> out = new ArrayList<>();
    long t = 0;
    for (int b = 0; b < bursts; b++) {
      int n = 1 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        out.add(new Step(t, ActionType.VIEW, pool.popular.get(r.nextInt(pool.popular.size()))));
        t += 300 + r.nextInt(1500);
      }
      t += 5000 + r.nextInt(115_000);
    }
    return out;
  }

  /** Settings; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private double rate = 0.05;
    private long seed = 42;
    private final Set<AttackKind> kinds = EnumSet.noneOf(AttackKind.class);
    private boolean signals;
    private boolean lengthsLikeLog;

    private Builder() {}

    /** Share of all actors that are attackers after injection (default 0.05), in (0, 0.5]. */
    public Builder rate(double r) {
      if (!(r > 0 && r <= 0.5)) {
        throw new ConfigurationException("attack rate must be in (0, 0.5]: " + r);
      }
      this.rate = r;
      return this;
    }

    /** Random seed (default 42). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Restricts the kinds (default: all that the log can express). */
    public Builder kinds(Set<AttackKind> k) {
      kinds.clear();
      kinds.addAll(k);
      return this;
    }

    /**
     * Whether real actors and attackers get device, IP address and user-agent attributes (default
     * false: the log's own fields only).
     */
    public Builder signals(boolean on) {
      this.signals = on;
      return this;
    }

    /**
     * Whether each attacker's events are cut to the length of a real sequence drawn from the log (per
     * session where it has sessions; at least {@value Injector#MIN_LENGTH}), so that attackers are as
     * long as people (default false: each kind's own length, 15-600 events, which in a log of short
     * sequences tells attackers apart by length alone). A takeover keeps the owner's history and adds
     * that many events. An attacker's events are the first ones of the attack it gets without this.
     */
    public Builder lengthsLikeLog(boolean on) {
      this.lengthsLikeLog = on;
      return this;
    }

    public Injector build() {
      return new Injector(this);
    }
  }
}
