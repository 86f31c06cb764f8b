package io.seqwatch.core.features;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.features.Signals.Kind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The running state of the traffic-signal features of one sequence (see {@link
 * BehaviorFeatureExtractor}): distinct devices, IP addresses, subnets, user agents and queries
 * (bounded {@link DistinctCounter}s), switches between consecutive values, the most actors that
 * shared one of its devices, addresses or subnets in training and its rarest user agent (looked up in
 * the frozen {@link Population}, only when a value changes), non-browser user agents,
 * query lengths and typing speed, and searches without a click. O(1) per event; only the signals in
 * use hold state. Attribute values longer than {@value #MAX_VALUE_CHARS} characters are cut to that
 * length first.
 *
 * <p>Thread-safety: not thread-safe; owned by one {@link BehaviorAccumulator}.
 */
final class SignalAccumulator {
  /**
   * Distinct values a signal counter holds exactly before its 4 KB sketch takes over: an actor with
   * more devices, addresses or user agents than this is far out anyway, and its state stays small
   * (each counter at most about 256 values or 4 KB).
   */
  static final int EXACT_VALUES = 256;
  /** The longest attribute value the features look at. */
  static final int MAX_VALUE_CHARS = 1_000;
  /** Characters per second above which a query counts as typed by a machine (people type 3-8). */
  static final double FAST_QUERY_CHARS_PER_S = 15;
  /** Words in a user agent that browsers never send and clients, scripts and crawlers do. */
  private static final List<String> AUTOMATION = List.of("bot", "crawl", "spider", "slurp", "headless", "python",
      "curl/", "wget", "java/", "okhttp", "go-http", "libwww", "httpclient", "scrapy", "phantomjs", "selenium",
      "puppeteer", "playwright", "node-fetch", "axios", "postman", "httpie", "aiohttp", "guzzle");

  private final Signals signals;
  private final Population population;
  /** The most actors in training that shared one of this sequence's devices, addresses, subnets. */
  private int deviceActors;
  private int ipActors;
  private int subnetActors;
  /** The rarest user agent of the sequence: log10(training actors / actors that sent it). */
  private double userAgentRarity;
  private final Switches device;
  private final Switches ip;
  private DistinctCounter subnets;
  private DistinctCounter userAgents;
  private int userAgentEvents;
  private int nonBrowser;
  private String lastUserAgent;
  private boolean lastUserAgentNonBrowser;
  private DistinctCounter queries;
  private int queryEvents;
  private long queryChars;
  private int typedQueries;
  private int fastQueries;
  /** The account's age in days at its first event that carried a creation time; -1 before. */
  private double accountAgeDays = -1;
  private int searches;
  private int searchesWithoutClick;
  private boolean searchPending;

  SignalAccumulator(Signals signals, Population population) {
    this.signals = signals;
    this.population = population;
    this.device = signals.has(Kind.DEVICE) ? new Switches() : null;
    this.ip = signals.has(Kind.IP) ? new Switches() : null;
    this.subnets = signals.has(Kind.IP) ? new DistinctCounter(EXACT_VALUES) : null;
    this.userAgents = signals.has(Kind.USER_AGENT) ? new DistinctCounter(EXACT_VALUES) : null;
    this.queries = signals.has(Kind.QUERY) ? new DistinctCounter(EXACT_VALUES) : null;
  }

  /** The feature names for {@code signals}, in the order {@link #features} writes them. */
  static List<String> names(Signals signals) {
    List<String> n = new ArrayList<>();
    if (signals.has(Kind.DEVICE)) {
      n.addAll(List.of("distinct_devices", "device_switch_rate", "device_actors"));
    }
    if (signals.has(Kind.IP)) {
      n.addAll(List.of("distinct_ips", "distinct_subnets", "ip_switch_rate", "ip_actors", "subnet_actors"));
    }
    if (signals.has(Kind.USER_AGENT)) {
      n.addAll(List.of("distinct_user_agents", "non_browser_share", "user_agent_rarity"));
    }
    if (signals.has(Kind.QUERY)) {
      n.addAll(List.of("query_length_mean", "query_repeat_share", "fast_query_share", "search_no_click_share"));
    }
    if (signals.has(Kind.ACCOUNT)) {
      n.add("account_age_days");
    }
    return n;
  }

  /**
   * Adds the next event.
   *
   * @param gapMs milliseconds since the previous event of the sequence, or -1 for the first
   */
  void add(BehaviorEvent e, long gapMs) {
    Attributes a = e.attributes();
    if (device != null) {
      Optional<String> v = value(a, Attributes.DEVICE);
      if (v.isPresent()) {
        if (!v.get().equals(device.last)) {
          deviceActors = Math.max(deviceActors, population.actors(Population.DEVICE, v.get()));
        }
        device.add(v.get());
      }
    }
    if (ip != null) {
      Optional<String> v = value(a, Attributes.IP);
      if (v.isPresent()) {
        if (!v.get().equals(ip.last)) {
          String net = subnet(v.get());
          ipActors = Math.max(ipActors, population.actors(Population.IP, v.get()));
          subnetActors = Math.max(subnetActors, population.actors(Population.SUBNET, net));
          subnets.add(net);
        }
        ip.add(v.get());
      }
    }
    if (userAgents != null) {
      Optional<String> v = value(a, Attributes.USER_AGENT);
      if (v.isPresent()) {
        userAgents.add(v.get());
        userAgentEvents++;
        if (!v.get().equals(lastUserAgent)) {
          lastUserAgent = v.get();
          lastUserAgentNonBrowser = !isBrowser(lastUserAgent);
          userAgentRarity = Math.max(userAgentRarity,
              Math.log10((double) population.actors() / population.actors(Population.USER_AGENT, lastUserAgent)));
        }
        nonBrowser += lastUserAgentNonBrowser ? 1 : 0;
      }
    }
    if (signals.has(Kind.ACCOUNT) && accountAgeDays < 0 && !a.isEmpty()) {
      java.util.OptionalLong created = createdMillis(a);
      if (created.isPresent()) {
        accountAgeDays = Math.max(0, (e.timestampMillis() - created.getAsLong()) / 86_400_000.0);
      }
    }
    if (queries != null) {
      if (searchPending && !clicks(e.type())) { // another search, or anything but a look at a result
        searchesWithoutClick++;
      }
      searchPending = e.type() == ActionType.SEARCH;
      searches += searchPending ? 1 : 0;
      Optional<String> q = value(a, Attributes.QUERY);
      if (q.isPresent()) {
        String text = q.get().trim().toLowerCase(Locale.ROOT);
        int chars = text.codePointCount(0, text.length());
        queryEvents++;
        queryChars += chars;
        queries.add(text);
        if (gapMs >= 0) {
          typedQueries++;
          if (chars > FAST_QUERY_CHARS_PER_S * Math.max(gapMs, 1) / 1000.0) {
            fastQueries++;
          }
        }
      }
    }
  }

  /** Milliseconds of an account creation time (Unix seconds or milliseconds, or ISO-8601), or empty. */
  static java.util.OptionalLong createdMillis(Attributes a) {
    java.util.OptionalDouble d = a.number(Signals.ACCOUNT_CREATED);
    if (d.isPresent()) {
      double v = d.getAsDouble();
      return java.util.OptionalLong.of((long) (Math.abs(v) > 100_000_000_000L ? v : v * 1000));
    }
    Optional<String> s = a.string(Signals.ACCOUNT_CREATED);
    if (s.isPresent()) {
      try {
        return java.util.OptionalLong.of(java.time.Instant.parse(s.get().trim()).toEpochMilli());
      } catch (java.time.format.DateTimeParseException e) {
        try {
          return java.util.OptionalLong.of(java.time.LocalDate.parse(s.get().trim()).atStartOfDay(java.time.ZoneOffset.UTC)
              .toInstant().toEpochMilli());
        } catch (java.time.format.DateTimeParseException e2) {
          return java.util.OptionalLong.empty();
        }
      }
    }
    return java.util.OptionalLong.empty();
  }

  private static boolean clicks(ActionType t) {
    return t == ActionType.VIEW || t == ActionType.CLICK || t == ActionType.FAVORITE || t == ActionType.CART
        || t == ActionType.PURCHASE;
  }

  private static Optional<String> value(Attributes a, String name) {
    if (a.isEmpty()) {
      return Optional.empty();
    }
    return a.string(name).map(SignalAccumulator::cut);
  }

  /** {@code v} cut to {@value #MAX_VALUE_CHARS} characters. */
  static String cut(String v) {
    return v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) : v;
  }

  /** An address without its last part: the /24 network of an IPv4 address, the prefix of an IPv6 one. */
  static String subnet(String ip) {
    int cut = Math.max(ip.lastIndexOf('.'), ip.lastIndexOf(':'));
    return cut > 0 ? ip.substring(0, cut) : ip;
  }

  /**
   * Whether a user agent looks like a person's browser or app: it names its platform in parentheses
   * (as every browser and most apps do) and none of the words of scripts, HTTP libraries, headless
   * browsers and crawlers.
   */
  static boolean isBrowser(String userAgent) {
    String ua = userAgent.toLowerCase(Locale.ROOT);
    if (ua.indexOf('(') < 0) {
      return false;
    }
    for (String w : AUTOMATION) {
      if (ua.contains(w)) {
        return false;
      }
    }
    return true;
  }

  /** Writes the features of the signals in use into {@code v} from {@code k}; returns the next index. */
  int features(double[] v, int k) {
    if (device != null) {
      v[k++] = device.distinct.count();
      v[k++] = device.rate();
      v[k++] = deviceActors;
    }
    if (ip != null) {
      v[k++] = ip.distinct.count();
      v[k++] = subnets.count();
      v[k++] = ip.rate();
      v[k++] = ipActors;
      v[k++] = subnetActors;
    }
    if (userAgents != null) {
      v[k++] = userAgents.count();
      v[k++] = userAgentEvents == 0 ? 0 : (double) nonBrowser / userAgentEvents;
      v[k++] = userAgentRarity;
    }
    if (queries != null) {
      v[k++] = queryEvents == 0 ? 0 : (double) queryChars / queryEvents;
      v[k++] = queryEvents == 0 ? 0 : (double) Math.max(0, queryEvents - Math.min(queryEvents, queries.count())) / queryEvents;
      v[k++] = typedQueries == 0 ? 0 : (double) fastQueries / typedQueries;
      v[k++] = searches == 0 ? 0 : (double) (searchesWithoutClick + (searchPending ? 1 : 0)) / searches;
    }
    if (signals.has(Kind.ACCOUNT)) {
      v[k++] = accountAgeDays;
    }
    return k;
  }

  /** Rough heap bytes held. */
  long memoryBytes() {
    long b = 96;
    b += device == null ? 0 : device.memoryBytes();
    b += ip == null ? 0 : ip.memoryBytes() + subnets.memoryBytes(88);
    b += userAgents == null ? 0 : userAgents.memoryBytes(88) + (lastUserAgent == null ? 0 : 56 + lastUserAgent.length());
    b += queries == null ? 0 : queries.memoryBytes(88);
    return b;
  }

  void write(DataOutput out) throws IOException {
    out.writeUTF(signals.spec()); // checked on reading: a state for other signals is refused
    out.writeInt(deviceActors);
    out.writeInt(ipActors);
    out.writeInt(subnetActors);
    out.writeDouble(userAgentRarity);
    out.writeDouble(accountAgeDays);
    if (device != null) {
      device.write(out);
    }
    if (ip != null) {
      ip.write(out);
      subnets.write(out);
    }
    if (userAgents != null) {
      userAgents.write(out);
      out.writeInt(userAgentEvents);
      out.writeInt(nonBrowser);
    }
    if (queries != null) {
      queries.write(out);
      out.writeInt(queryEvents);
      out.writeLong(queryChars);
      out.writeInt(typedQueries);
      out.writeInt(fastQueries);
      out.writeInt(searches);
      out.writeInt(searchesWithoutClick);
      out.writeBoolean(searchPending);
    }
  }

  static SignalAccumulator read(DataInput in, Signals signals, Population population) throws IOException {
    String spec = in.readUTF();
    if (!spec.equals(signals.spec())) {
      throw new ModelFormatException("streaming state: behaviour features for signals " + spec + ", but the model uses "
          + signals.spec());
    }
    SignalAccumulator s = new SignalAccumulator(signals, population);
    s.deviceActors = in.readInt();
    s.ipActors = in.readInt();
    s.subnetActors = in.readInt();
    s.userAgentRarity = in.readDouble();
    s.accountAgeDays = in.readDouble();
    if (!(s.accountAgeDays >= -1) || Double.isInfinite(s.accountAgeDays)) {
      throw new ModelFormatException("streaming state: account age out of range: " + s.accountAgeDays);
    }
    if (s.deviceActors < 0 || s.ipActors < 0 || s.subnetActors < 0 || !(s.userAgentRarity >= 0)
        || Double.isInfinite(s.userAgentRarity)) {
      throw new ModelFormatException("streaming state: shared-infrastructure counts out of range");
    }
    if (s.device != null) {
      s.device.read(in);
    }
    if (s.ip != null) {
      s.ip.read(in);
      s.subnets = DistinctCounter.read(in, EXACT_VALUES);
    }
    if (s.userAgents != null) {
      s.userAgents = DistinctCounter.read(in, EXACT_VALUES);
      s.userAgentEvents = in.readInt();
      s.nonBrowser = in.readInt();
      if (s.nonBrowser < 0 || s.nonBrowser > s.userAgentEvents) {
        throw new ModelFormatException("streaming state: " + s.nonBrowser + " non-browser events of " + s.userAgentEvents);
      }
    }
    if (s.queries != null) {
      s.queries = DistinctCounter.read(in, EXACT_VALUES);
      s.queryEvents = in.readInt();
      s.queryChars = in.readLong();
      s.typedQueries = in.readInt();
      s.fastQueries = in.readInt();
      s.searches = in.readInt();
      s.searchesWithoutClick = in.readInt();
      s.searchPending = in.readBoolean();
      if (s.queryEvents < 0 || s.queryChars < 0 || s.fastQueries < 0 || s.fastQueries > s.typedQueries
          || s.typedQueries > s.queryEvents || s.searchesWithoutClick < 0 || s.searchesWithoutClick > s.searches) {
        throw new ModelFormatException("streaming state: inconsistent query counts");
      }
    }
    return s;
  }

  /** Distinct values of one attribute and how often consecutive events changed it. */
  private static final class Switches {
    private DistinctCounter distinct = new DistinctCounter(EXACT_VALUES);
    String last;
    private int pairs;
    private int changes;

    void add(String v) {
      distinct.add(v);
      if (last != null) {
        pairs++;
        changes += last.equals(v) ? 0 : 1;
      }
      last = v;
    }

    double rate() {
      return pairs == 0 ? 0 : (double) changes / pairs;
    }

    long memoryBytes() {
      return 32 + distinct.memoryBytes(88) + (last == null ? 0 : 56 + last.length());
    }

    void write(DataOutput out) throws IOException {
      distinct.write(out);
      out.writeBoolean(last != null);
      if (last != null) {
        out.writeUTF(last);
      }
      out.writeInt(pairs);
      out.writeInt(changes);
    }

    void read(DataInput in) throws IOException {
      distinct = DistinctCounter.read(in, EXACT_VALUES);
      last = in.readBoolean() ? in.readUTF() : null;
      pairs = in.readInt();
      changes = in.readInt();
      if (pairs < 0 || changes < 0 || changes > pairs) {
        throw new ModelFormatException("streaming state: " + changes + " switches in " + pairs + " pairs");
      }
    }
  }
}
