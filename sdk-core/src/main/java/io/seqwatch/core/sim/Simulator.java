package io.seqwatch.core.sim;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.inject.TrafficSignals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a day of Taobao-format behaviour for {@code users} users, of whom about {@code
 * anomalyRate} behave like one of the {@link AnomalyKind}s (kinds in turn). Equal settings and seed
 * give identical data.
 *
 * <p>Normal users browse in 1-6 sessions at human hours (Asia/Shanghai), with log-normal gaps
 * (median about 15 s), mostly views in a few favourite categories, re-visits, occasional favourites
 * and carts, and purchases that follow a cart. Categories are Zipf-popular.
 *
 * <pre>{@code
 * SimulatedData data = Simulator.builder().users(2000).anomalyRate(0.05).seed(7).build().generate();
 * }</pre>
 *
 * <p>Thread-safety: immutable; {@link #generate} may run concurrently (each call has its own random
 * source).
 */
public final class Simulator {
  /** Start of the simulated day: 2017-11-26 00:00 Asia/Shanghai, in Unix seconds. */
  public static final long START = 1_511_625_600L;
  private static final int CATEGORIES = 300;
  private static final int ITEMS_PER_CATEGORY = 400;
  private static final long DAY = 86_400L;

  private final int users;
  private final double anomalyRate;
  private final long seed;

  private final boolean signals;

  private Simulator(Builder b) {
    this.users = b.users;
    this.anomalyRate = b.anomalyRate;
    this.seed = b.seed;
    this.signals = b.signals;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Generates events (sorted by time) and labels. */
  public SimulatedData generate() {
    Random rnd = new Random(seed);
    int anomalies = (int) Math.round(users * anomalyRate);
    Set<Integer> ids = new HashSet<>();
    List<String> userIds = new ArrayList<>();
    while (userIds.size() < users) {
      int id = 1 + rnd.nextInt(1_000_000);
      if (ids.add(id)) {
        userIds.add(Integer.toString(id));
      }
    }
    // which users are anomalous: a random subset, kinds in turn
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, rnd);
    AnomalyKind[] kindOf = new AnomalyKind[users];
    AnomalyKind[] kinds = AnomalyKind.values();
    for (int a = 0; a < anomalies; a++) {
      kindOf[order.get(a)] = kinds[a % kinds.length];
    }
    List<BehaviorEvent> events = new ArrayList<>();
    Map<String, Boolean> labels = new LinkedHashMap<>();
    Map<String, String> kindLabels = new LinkedHashMap<>();
    for (int u = 0; u < users; u++) {
      String id = userIds.get(u);
      Random r = new Random(seed * 1_000_003L + u);
      AnomalyKind k = kindOf[u];
      List<long[]> raw = new ArrayList<>(); // {ts, item, category, action}
      if (k == null) {
        normalUser(r, raw);
      } else {
        switch (k) {
          case CLICK_BOT -> clickBot(r, raw);
          case BRUSHING -> brushing(r, raw);
          case SCRAPER -> scraper(r, raw);
          case ACCOUNT_TAKEOVER -> accountTakeover(r, raw);
          case CART_ABUSE -> cartAbuse(r, raw);
          case REPLAYED_SESSION -> replayedSession(r, raw);
          default -> throw new IllegalStateException(k.name());
        }
        kindLabels.put(id, k.label());
      }
      labels.put(id, k != null);
      List<BehaviorEvent> mine = new ArrayList<>(raw.size());
      for (long[] e : raw) {
        mine.add(BehaviorEvent.of(id, e[0] * 1000L, ACTIONS[(int) e[3]], Long.toString(e[1]),
            Long.toString(e[2])));
      }
      if (signals) {
        mine = withSignals(mine, k, u, new Random(seed * 7_919L + u));
      }
      events.addAll(mine);
    }
    events.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
    return new SimulatedData(events, new Labels(labels, kindLabels));
  }

  /** Query words: what shoppers type. */
  private static final String[] WORDS = {"red", "running", "shoes", "wireless", "headphones", "kettle", "usb", "c",
      "charger", "desk", "lamp", "summer", "dress", "kids", "lego", "phone", "case", "coffee", "grinder", "yoga", "mat",
      "winter", "jacket", "gaming", "mouse", "air", "fryer", "smart", "watch", "backpack"};

  /**
   * A user's events with device, address and user agent ({@link TrafficSignals}: a person's profile,
   * or the tools of the anomaly's kind) and searches: people search at the start of some sessions
   * (2-4 words typed over 8-40 s, then they look at results); click bots and scrapers fire queries
   * between requests within a second, often the same one.
   */
  private List<BehaviorEvent> withSignals(List<BehaviorEvent> mine, AnomalyKind k, int u, Random r) {
    if (mine.isEmpty()) {
      return mine;
    }
    List<BehaviorEvent> out = new ArrayList<>(mine.size() + 8);
    String repeated = query(r);
    for (int i = 0; i < mine.size(); i++) {
      BehaviorEvent e = mine.get(i);
      long gap = i == 0 ? Long.MAX_VALUE : e.timestampMillis() - mine.get(i - 1).timestampMillis();
      boolean bot = k == AnomalyKind.CLICK_BOT || k == AnomalyKind.SCRAPER;
      if (k == null && gap >= 30 * 60_000L && r.nextDouble() < 0.5) { // a person starts a session by searching
        out.add(search(e, e.timestampMillis() - 5_000 - r.nextInt(15_000), query(r)));
      } else if (bot && i > 0 && i % 10 == 0 && gap > 400) { // a query fired between two requests
        out.add(search(e, mine.get(i - 1).timestampMillis() + 100 + r.nextInt(300), // sent 0.1-0.4 s after a request
            r.nextDouble() < 0.6 ? repeated : query(r)));
      }
      out.add(e);
    }
    TrafficSignals t = new TrafficSignals(seed);
    if (k == null) {
      return t.real(out);
    }
    io.seqwatch.core.inject.AttackKind as = io.seqwatch.core.inject.AttackKind.valueOf(k.name());
    if (k == AnomalyKind.ACCOUNT_TAKEOVER) { // the owner's history keeps the owner's signals; the burst after
      int split = out.size() - 1;           // the last pause of an hour or more is the intruder's
      while (split > 0 && out.get(split).timestampMillis() - out.get(split - 1).timestampMillis() < 3_600_000L) {
        split--;
      }
      if (split > 0) {
        List<BehaviorEvent> history = t.real(out.subList(0, split));
        List<BehaviorEvent> all = new ArrayList<>(history);
        all.addAll(t.attack(as, u, out.subList(split, out.size()), history));
        return all;
      }
    }
    return t.attack(as, u, out, List.of());
  }

  private static String query(Random r) {
    StringBuilder q = new StringBuilder(WORDS[r.nextInt(WORDS.length)]);
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      q.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
    }
    return q.toString();
  }

  private static BehaviorEvent search(BehaviorEvent next, long t, String query) {
    return new BehaviorEvent(next.actorId(), next.sessionId(), t, "search", io.seqwatch.api.ActionType.SEARCH,
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.OptionalDouble.empty(), 0,
        io.seqwatch.api.Attributes.builder().text(io.seqwatch.api.Attributes.QUERY, query).build());
  }

  private static final String[] ACTIONS = {"pv", "fav", "cart", "buy"};
  private static final int PV = 0;
  private static final int FAV = 1;
  private static final int CART = 2;
  private static final int BUY = 3;

  private static int zipfCategory(Random r) {
    // inverse-CDF of a Zipf(1.1)-like law over CATEGORIES by rejection-free approximation
    double u = r.nextDouble();
    int c = (int) Math.floor(Math.pow(CATEGORIES + 1.0, u)) - 1;
    return Math.min(CATEGORIES - 1, Math.max(0, c));
  }

  private static long item(int category, Random r) {
    int k = (int) Math.min(ITEMS_PER_CATEGORY - 1, Math.floor(Math.pow(ITEMS_PER_CATEGORY, r.nextDouble())));
    return 1_000_000L + category * 10_000L + k;
  }

  private static long categoryId(int category) {
    return 5_000L + category * 37L;
  }

  /** A session start in human hours: mostly 09:00-24:00 Shanghai time. */
  private static long humanStart(Random r) {
    double h;
    do {
      h = 9 + r.nextGaussian() * 5 + 6;
    } while (h < 7 || h >= 24);
    return START + (long) (h * 3600);
  }

  private static long humanGap(Random r) {
    return Math.max(1, Math.min(1200, Math.round(Math.exp(Math.log(15) + r.nextGaussian()))));
  }

  /** One human session appended to out, starting at t; returns the end time. */
  private static long humanSession(Random r, long t, int[] favourites, List<long[]> out) {
    int len = 1 + (int) Math.min(79, Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - 1.0 / 14)));
    List<long[]> viewed = new ArrayList<>();
    long carted = -1;
    int cartedCategory = -1;
    for (int i = 0; i < len; i++) {
      if (i > 0) {
        t += humanGap(r);
      }
      double p = r.nextDouble();
      if (carted >= 0 && p < 0.25) {
        out.add(new long[] {t, carted, categoryId(cartedCategory), BUY});
        carted = -1;
        continue;
      }
      if (!viewed.isEmpty() && p < 0.07) {
        long[] v = viewed.get(r.nextInt(viewed.size()));
        carted = v[1];
        cartedCategory = (int) v[0];
        out.add(new long[] {t, carted, categoryId(cartedCategory), CART});
        continue;
      }
      if (!viewed.isEmpty() && p < 0.10) {
        long[] v = viewed.get(r.nextInt(viewed.size()));
        out.add(new long[] {t, v[1], categoryId((int) v[0]), FAV});
        continue;
      }
      long it;
      int c;
      if (!viewed.isEmpty() && r.nextDouble() < 0.2) {
        long[] v = viewed.get(r.nextInt(viewed.size()));
        c = (int) v[0];
        it = v[1];
      } else {
        c = r.nextDouble() < 0.65 ? favourites[r.nextInt(favourites.length)] : zipfCategory(r);
        it = item(c, r);
      }
      viewed.add(new long[] {c, it});
      out.add(new long[] {t, it, categoryId(c), PV});
    }
    return t;
  }

  private static int[] favourites(Random r) {
    int[] f = new int[2 + r.nextInt(4)];
    for (int i = 0; i < f.length; i++) {
      f[i] = zipfCategory(r);
    }
    return f;
  }

  private static void normalUser(Random r, List<long[]> out) {
    int[] fav = favourites(r);
    int sessions = 1 + Math.min(5, (int) Math.floor(-Math.log(1 - r.nextDouble()) * 1.5));
    long t = humanStart(r) - 4 * 3600;
    for (int s = 0; s < sessions; s++) {
      t = Math.max(t + 600, humanStart(r) - r.nextInt(3 * 3600));
      if (t > START + DAY - 600) {
        break;
      }
      t = humanSession(r, t, fav, out);
    }
  }

  private static void clickBot(Random r, List<long[]> out) {
    int c = zipfCategory(r);
    long[] targets = new long[2 + r.nextInt(4)];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = item(c, r);
    }
    long t = START + r.nextInt((int) (DAY / 2));
    int n = 150 + r.nextInt(350);
    double pace = 2 + r.nextDouble() * 3;
    for (int i = 0; i < n; i++) {
      t += Math.max(1, Math.round(pace + r.nextGaussian() * 0.3));
      out.add(new long[] {t, targets[r.nextInt(targets.length)], categoryId(c), PV});
    }
  }

  private static void brushing(Random r, List<long[]> out) {
    int c = zipfCategory(r);
    long[] shop = new long[1 + r.nextInt(3)];
    for (int i = 0; i < shop.length; i++) {
      shop[i] = item(c, r);
    }
    long t = humanStart(r);
    int cycles = 8 + r.nextInt(25);
    for (int i = 0; i < cycles; i++) {
      long it = shop[r.nextInt(shop.length)];
      t += 20 + r.nextInt(90);
      out.add(new long[] {t, it, categoryId(c), PV});
      t += 2 + r.nextInt(6);
      out.add(new long[] {t, it, categoryId(c), CART});
      t += 2 + r.nextInt(6);
      out.add(new long[] {t, it, categoryId(c), BUY});
    }
  }

  private static void scraper(Random r, List<long[]> out) {
    long t = START + r.nextInt(4 * 3600); // 00:00-04:00 Shanghai time
    int n = 300 + r.nextInt(900);
    int c = r.nextInt(CATEGORIES);
    int k = 0;
    for (int i = 0; i < n; i++) {
      t += 1 + r.nextInt(3);
      if (++k > 20 + r.nextInt(10)) {
        c = (c + 1) % CATEGORIES;
        k = 0;
      }
      out.add(new long[] {t, 1_000_000L + c * 10_000L + 1000 + i, categoryId(c), PV});
    }
  }

  private static void accountTakeover(Random r, List<long[]> out) {
    int[] fav = favourites(r);
    long t = humanStart(r) - 6 * 3600;
    t = humanSession(r, t, fav, out);
    if (r.nextBoolean()) {
      t = humanSession(r, t + 1800 + r.nextInt(7200), fav, out);
    }
    // the takeover: a night burst in categories the owner never used, straight to cart and buy
    t = Math.max(t + 3600, START + DAY - 5 * 3600 + r.nextInt(3600));
    int purchases = 4 + r.nextInt(10);
    for (int i = 0; i < purchases; i++) {
      int c = CATEGORIES - 1 - r.nextInt(40);
      long it = item(c, r);
      t += 3 + r.nextInt(8);
      out.add(new long[] {t, it, categoryId(c), PV});
      t += 2 + r.nextInt(4);
      out.add(new long[] {t, it, categoryId(c), CART});
      t += 2 + r.nextInt(4);
      out.add(new long[] {t, it, categoryId(c), BUY});
    }
  }

  private static void cartAbuse(Random r, List<long[]> out) {
    int c = zipfCategory(r);
    long[] items = new long[2 + r.nextInt(5)];
    for (int i = 0; i < items.length; i++) {
      items[i] = item(c, r);
    }
    long t = humanStart(r) - 3 * 3600;
    for (long it : items) {
      t += humanGap(r);
      out.add(new long[] {t, it, categoryId(c), PV});
    }
    int adds = 30 + r.nextInt(90);
    for (int i = 0; i < adds; i++) {
      t += 20 + r.nextInt(400);
      out.add(new long[] {t, items[r.nextInt(items.length)], categoryId(c), CART});
    }
  }

  private static void replayedSession(Random r, List<long[]> out) {
    List<long[]> human = new ArrayList<>();
    int[] fav = favourites(r);
    while (human.size() < 8) {
      human.clear();
      humanSession(r, 0, fav, human);
    }
    long t = humanStart(r) - 2 * 3600;
    int replays = 3 + r.nextInt(5);
    int pace = 1 + r.nextInt(2);
    for (int k = 0; k < replays; k++) {
      for (long[] e : human) {
        t += pace;
        out.add(new long[] {t, e[1], e[2], e[3]});
      }
      t += 1 + r.nextInt(3);
    }
  }

  /** Settings; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int users = 1000;
    private double anomalyRate = 0.05;
    private long seed = 42;
    private boolean signals;

    private Builder() {}

    /**
     * Whether users get device, address and user-agent attributes and search queries (default false:
     * Taobao-like events only). With them, {@link SimulatedData#write} writes JSON lines.
     */
    public Builder signals(boolean on) {
      this.signals = on;
      return this;
    }

    /** Number of users (default 1000). */
    public Builder users(int n) {
      if (n < 1 || n > 10_000_000) {
        throw new ConfigurationException("users must be in [1, 10000000]: " + n);
      }
      this.users = n;
      return this;
    }

    /** Share of anomalous users (default 0.05). */
    public Builder anomalyRate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new ConfigurationException("anomaly rate must be in [0, 1]: " + rate);
      }
      this.anomalyRate = rate;
      return this;
    }

    /** Random seed (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Simulator build() {
      return new Simulator(this);
    }
  }
}
