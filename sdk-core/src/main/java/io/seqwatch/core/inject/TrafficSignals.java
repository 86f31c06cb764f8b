package io.seqwatch.core.inject;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Device, IP address and user-agent attributes for a real log and the attacks grafted into it, so
 * that the features over these signals can be measured on real behaviour. The real log carries no
 * such fields; each real actor gets a plausible profile (one device, one in ten a second one used
 * after a break of 30 minutes or more; a home address, one in five on a mobile network that changes
 * address now and then, one in thirty behind a household's shared address; a browser user agent
 * from a mix of current browsers, two in a hundred the shop app's {@code okhttp} client and one in
 * two hundred no user agent ({@code -})), drawn from a seed and the actor id, so it does not depend
 * on the order of the log.
 *
 * <p>Attackers get their tools' signals: click bots a device of their farm (attackers of one kind
 * share 1-3 farms), the farm's data-centre network and half of them a headless browser; scrapers no
 * stable device (no cookies), a rotating proxy address on most requests and mostly a script's user
 * agent; brushing rings a few shared phones on one mobile address; cart abusers their own device on a
 * data-centre address, three in ten a script; an account takeover a new device, address and browser
 * in the owner's history; replays the replayed person's device (a copied cookie) from a data-centre
 * address, half with the person's user agent and half with a headless one; credential stuffing one
 * client's device for every account, a new residential proxy address for each burst and half a new
 * browser string for each burst. Part of every kind looks like a browser, so no single signal
 * separates all attackers.
 *
 * <p>The simulator uses the same profiles ({@code Simulator.Builder.signals}).
 *
 * <p>Thread-safety: immutable.
 */
public final class TrafficSignals {
  /** Browser user agents of people, as sent in 2025-2026, in rough order of share. */
  static final List<String> BROWSERS = List.of(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
      "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
      "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1");
  static final String SHOP_APP = "okhttp/4.12.0";
  static final String HEADLESS =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
  static final List<String> SCRIPTS = List.of("python-requests/2.32.3", "Scrapy/2.11.2 (+https://scrapy.org)",
      "Go-http-client/1.1", "curl/8.5.0", "python-httpx/0.27.2", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)");

  private final long seed;

  /** Signals drawn from {@code seed}. */
  public TrafficSignals(long seed) {
    this.seed = seed;
  }

  /** A browser user agent, the popular ones more often. */
  private static String browser(Random r) {
    int i = (int) Math.min(BROWSERS.size() - 1, Math.floor(-Math.log(1 - r.nextDouble()) * 3.5));
    return BROWSERS.get(i);
  }

  private static String residential(Random r) {
    return (60 + r.nextInt(120)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (2 + r.nextInt(250));
  }

  private static String mobileNetwork(Random r, int carrier) {
    return (100 + carrier) + ".64." + r.nextInt(64) + "." + (2 + r.nextInt(250));
  }

  private static String dataCentre(int net, Random r) {
    return "45." + (net % 256) + "." + (net / 256 % 256) + "." + (2 + r.nextInt(250));
  }

  private Random random(String key) {
    return new Random(seed * 0x9E3779B97F4A7C15L ^ key.hashCode() * 0xC2B2AE3D27D4EB4FL ^ key.length());
  }

  /** Real events with a profile per actor; each actor's events are visited in time order. */
  public List<BehaviorEvent> real(List<BehaviorEvent> events) {
    Map<String, List<Integer>> byActor = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      byActor.computeIfAbsent(events.get(i).actorId(), k -> new ArrayList<>()).add(i);
    }
    BehaviorEvent[] out = events.toArray(new BehaviorEvent[0]);
    for (Map.Entry<String, List<Integer>> a : byActor.entrySet()) {
      List<Integer> idx = a.getValue();
      idx.sort(Comparator.comparingLong((Integer i) -> events.get(i).timestampMillis()).thenComparingInt(i -> i));
      Random r = random("real:" + a.getKey());
      String device = "d" + Long.toHexString(r.nextLong() & 0xFFFFFFFFFFFFL);
      String second = r.nextDouble() < 0.10 ? "d" + Long.toHexString(r.nextLong() & 0xFFFFFFFFFFFFL) : null;
      double place = r.nextDouble();
      boolean mobile = place < 0.20;
      int carrier = r.nextInt(8);
      String ip = place > 0.967 ? "82.13.7." + (2 + r.nextInt(12)) : mobile ? mobileNetwork(r, carrier) : residential(r);
      double client = r.nextDouble();
      String ua = client < 0.02 ? SHOP_APP : client < 0.025 ? "-" : browser(r);
      String current = device;
      long last = Long.MIN_VALUE;
      for (int i : idx) {
        BehaviorEvent e = events.get(i);
        if (second != null && last != Long.MIN_VALUE && e.timestampMillis() - last >= 30 * 60_000L
            && r.nextDouble() < 0.5) {
          current = current.equals(device) ? second : device;
        }
        if (mobile && r.nextDouble() < 0.08) {
          ip = mobileNetwork(r, carrier);
        }
        last = e.timestampMillis();
        out[i] = e.withAttributes(e.attributes().with(attributes(current, ip, ua)));
      }
    }
    return List.of(out);
  }

  private static Attributes attributes(String device, String ip, String ua) {
    Attributes.Builder b = Attributes.builder().categorical(Attributes.IP, ip).categorical(Attributes.USER_AGENT, ua);
    if (device != null) {
      b.categorical(Attributes.DEVICE, device);
    }
    return b.build();
  }

  /**
   * An attacker's events with its kind's signals.
   *
   * @param index the attacker's number in the plan (decides its farm)
   * @param owner the taken-over or replayed real actor, whose profile a takeover leaves and a replay
   *     copies; empty for the others
   */
  public List<BehaviorEvent> attack(AttackKind kind, int index, List<BehaviorEvent> events, List<BehaviorEvent> owner) {
    Random r = random("attack:" + kind + ":" + index);
    int farm = index % (1 + random("farms:" + kind).nextInt(3));
    Random farmRandom = random("farm:" + kind + ":" + farm);
    int farmNet = farmRandom.nextInt(65_536);
    List<String> farmDevices = new ArrayList<>();
    for (int i = 0, n = 2 + farmRandom.nextInt(4); i < n; i++) {
      farmDevices.add("d" + Long.toHexString(farmRandom.nextLong() & 0xFFFFFFFFFFFFL));
    }
    String own = "d" + Long.toHexString(r.nextLong() & 0xFFFFFFFFFFFFL);
    Attributes ownerSignals = owner.isEmpty() ? Attributes.EMPTY : real(owner).get(owner.size() - 1).attributes();
    String device;
    String ip;
    String ua;
    switch (kind) {
      case CLICK_BOT -> {
        device = farmDevices.get(r.nextInt(farmDevices.size()));
        ip = dataCentre(farmNet, r);
        ua = r.nextBoolean() ? HEADLESS : browser(r);
      }
      case BRUSHING -> {
        device = farmDevices.get(r.nextInt(farmDevices.size()));
        ip = mobileNetwork(farmRandom, 3);
        ua = BROWSERS.get(2);
      }
      case CART_ABUSE -> {
        device = own;
        ip = dataCentre(farmNet, r);
        ua = r.nextDouble() < 0.3 ? SCRIPTS.get(r.nextInt(SCRIPTS.size())) : browser(r);
      }
      case ACCOUNT_TAKEOVER -> {
        device = own;
        ip = residential(r);
        String ownerUa = ownerSignals.string(Attributes.USER_AGENT).orElse("");
        ua = browser(r);
        for (int tries = 0; tries < 10 && ua.equals(ownerUa); tries++) {
          ua = browser(r);
        }
      }
      case REPLAYED_SESSION -> {
        device = ownerSignals.string(Attributes.DEVICE).orElse(own);
        ip = dataCentre(farmNet, r);
        ua = r.nextBoolean() ? ownerSignals.string(Attributes.USER_AGENT).orElse(HEADLESS) : HEADLESS;
      }
      case CREDENTIAL_STUFFING -> {
        device = farmDevices.get(0);
        ip = residential(r);
        ua = browser(r);
      }
      default -> { // SCRAPER
        device = null;
        ip = residential(r);
        ua = r.nextDouble() < 0.6 ? SCRIPTS.get(r.nextInt(SCRIPTS.size())) : browser(r);
      }
    }
    boolean rotatingBrowser = kind == AttackKind.CREDENTIAL_STUFFING && r.nextBoolean();
    List<BehaviorEvent> out = new ArrayList<>(events.size());
    long last = Long.MIN_VALUE;
    for (BehaviorEvent e : events) {
      String d = device;
      if (kind == AttackKind.SCRAPER) {
        d = "d" + Long.toHexString(r.nextLong() & 0xFFFFFFFFFFFFL);
        if (r.nextDouble() < 0.8) {
          ip = residential(r);
        }
      } else if (kind == AttackKind.CREDENTIAL_STUFFING && e.timestampMillis() - last > 4_000) { // a new burst
        ip = residential(r);
        ua = rotatingBrowser ? browser(r) : ua;
      }
      last = e.timestampMillis();
      out.add(e.withAttributes(e.attributes().with(attributes(d, ip, ua))));
    }
    return out;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "TrafficSignals[seed=%d]", seed);
  }
}
