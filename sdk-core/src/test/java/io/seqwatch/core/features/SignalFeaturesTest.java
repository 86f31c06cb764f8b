package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.features.Signals.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The traffic-signal features: values on a hand-made sequence, stream == batch, state round trips. */
class SignalFeaturesTest {
  private static final Signals ALL = new Signals(EnumSet.allOf(Kind.class));
  private static final BehaviorFeatureExtractor EXTRACTOR = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6, ALL);
  private static final String CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

  private static BehaviorEvent event(long t, String action, String device, String ip, String ua, String query) {
    Attributes.Builder b = Attributes.builder();
    if (device != null) {
      b.categorical(Attributes.DEVICE, device);
    }
    if (ip != null) {
      b.categorical(Attributes.IP, ip);
    }
    if (ua != null) {
      b.categorical(Attributes.USER_AGENT, ua);
    }
    if (query != null) {
      b.text(Attributes.QUERY, query);
    }
    return new BehaviorEvent("u", Optional.empty(), t, action, ActionType.fromAlias(action), Optional.of("i" + t),
        Optional.of("c"), OptionalDouble.empty(), 0, b.build());
  }

  @Test
  void handMadeSequenceHasTheDocumentedValues() {
    long t = 1_700_000_000_000L;
    List<BehaviorEvent> events = List.of(
        event(t, "search", "d1", "10.0.0.1", CHROME, "Red Shoes"),              // first event: not timed
        event(t + 20_000, "view", "d1", "10.0.0.2", CHROME, null),
        event(t + 21_000, "search", "d2", "10.0.1.9", "python-requests/2.31", "red shoes"), // 9 chars in 1 s
        event(t + 22_000, "search", "d2", "10.0.1.9", "python-requests/2.31", "blue hat"), // 8 chars in 1 s
        event(t + 60_000, "view", "d2", "10.0.1.9", "python-requests/2.31", null));
    FeatureVector v = EXTRACTOR.extract(new BehaviorSequence("u", events));
    assertEquals(2, v.get("distinct_devices"));
    assertEquals(0.25, v.get("device_switch_rate"));
    assertEquals(3, v.get("distinct_ips"));
    assertEquals(2, v.get("distinct_subnets"));
    assertEquals(0.5, v.get("ip_switch_rate"));
    assertEquals(2, v.get("distinct_user_agents"));
    assertEquals(0.6, v.get("non_browser_share"), 1e-12);
    assertEquals((9 + 9 + 8) / 3.0, v.get("query_length_mean"), 1e-12);
    assertEquals(1 / 3.0, v.get("query_repeat_share"), 1e-12, "'red shoes' again, case aside");
    assertEquals(0.0, v.get("fast_query_share"), "9 and 8 characters in a second: a quick person, not a machine");
    assertEquals(1 / 3.0, v.get("search_no_click_share"), 1e-12, "the second search was followed by a search");
  }

  @Test
  void machineSpeedQueriesAndOpenSearchesAreCounted() {
    long t = 1_700_000_000_000L;
    List<BehaviorEvent> events = List.of(
        event(t, "view", null, null, null, null),
        event(t + 300, "search", null, null, null, "wireless noise cancelling headphones"),
        event(t + 600, "search", null, null, null, "usb c charger 65w"));
    FeatureVector v = EXTRACTOR.extract(new BehaviorSequence("u", events));
    assertEquals(1.0, v.get("fast_query_share"));
    assertEquals(1.0, v.get("search_no_click_share"), "the last search is still open: no click yet");
    assertEquals(0.0, v.get("distinct_devices"), "no device attribute: nothing counted");
    assertEquals(0.0, v.get("non_browser_share"));
  }

  @Test
  void anActorWithThousandsOfDevicesAndAddressesKeepsASmallState() {
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) { // a scraper: a new cookie, address and browser string on every request
      events.add(BehaviorEvent.of("u", 1_700_000_000_000L + i * 700L, "pv", "i", "c").withAttributes(Attributes.builder()
          .categorical(Attributes.DEVICE, "d" + i).categorical(Attributes.IP, "10." + i % 250 + "." + i / 250 + ".9")
          .categorical(Attributes.USER_AGENT, "Mozilla/5.0 (X11; build " + i + ")").build()));
    }
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    events.forEach(a::add);
    long base = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6).accumulator().memoryBytes();
    assertTrue(a.memoryBytes() - base < 30_000, "signal state " + (a.memoryBytes() - base) + " bytes");
    FeatureVector v = a.features("u", EXTRACTOR.schema());
    assertEquals(5_000, v.get("distinct_devices"), 5_000 * 0.05, "sketched within a few per cent");
    assertArrayEquals(EXTRACTOR.extract(new BehaviorSequence("u", events)).values(), v.values(), 0.0);
  }

  @Test
  void userAgentsOfScriptsHeadlessBrowsersAndCrawlersAreNotBrowsers() {
    assertTrue(SignalAccumulator.isBrowser(CHROME));
    assertTrue(SignalAccumulator.isBrowser("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"));
    assertTrue(SignalAccumulator.isBrowser("ShopApp/5.2.1 (Android 14; Pixel 8)"));
    for (String ua : List.of("python-requests/2.31.0", "curl/8.5.0", "Go-http-client/1.1", "okhttp/4.12.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Scrapy/2.11 (+https://scrapy.org)",
        "", "-")) {
      assertFalse(SignalAccumulator.isBrowser(ua), ua);
    }
  }

  @Test
  void withoutSignalsTheSchemaIsTheBaseOne() {
    BehaviorFeatureExtractor none = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    assertEquals(none.schema().size() + 16, EXTRACTOR.schema().size());
    assertEquals(none.schema().names(), EXTRACTOR.schema().names().subList(0, none.schema().size()));
    assertEquals("none", none.fittedOptions().get("signals"));
    assertEquals("device,ip,user-agent,query,account", EXTRACTOR.fittedOptions().get("signals"));
  }

  @Test
  void autoUsesTheSignalsTheTrainingEventsCarry() {
    long t = 1_700_000_000_000L;
    List<BehaviorSequence> training = List.of(new BehaviorSequence("u", List.of(
        event(t, "view", "d1", null, CHROME, null), event(t + 1_000, "view", "d1", null, null, null))));
    assertEquals(EnumSet.of(Kind.DEVICE, Kind.USER_AGENT), Signals.present(training).kinds());
    BehaviorFeatureExtractorProvider p = new BehaviorFeatureExtractorProvider();
    io.seqwatch.spi.Options auto = io.seqwatch.spi.Options.of(p.options(), java.util.Map.of());
    assertEquals("device,user-agent", p.fit(auto, training).fittedOptions().get("signals"));
    assertEquals("none", p.create(auto).fittedOptions().get("signals"), "create alone cannot see data");
    assertEquals("ip", p.fit(io.seqwatch.spi.Options.of(p.options(), java.util.Map.of("signals", "ip")), training)
        .fittedOptions().get("signals"), "an explicit list wins over the data");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> p.create(io.seqwatch.spi.Options.of(p.options(), java.util.Map.of("signals", "device,gps"))));
    assertTrue(e.getMessage().contains("'gps' is not a signal"), e.getMessage());
  }

  @Test
  void sharedInfrastructureCountsComeFromTheTrainingActorsAndSurviveTheBundle() throws IOException {
    long t = 1_700_000_000_000L;
    List<BehaviorSequence> training = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // six accounts on one farm device and one address; four people on their own
      training.add(seq("bot" + i, event(t, "view", "farm", "45.1.2.3", CHROME, null)));
    }
    for (int i = 0; i < 4; i++) {
      training.add(seq("p" + i, event(t, "view", "d" + i, "80.0." + i + ".1", i == 0 ? "curl/8.5.0" : CHROME, null)));
    }
    BehaviorFeatureExtractorProvider p = new BehaviorFeatureExtractorProvider();
    BehaviorFeatureExtractor x = (BehaviorFeatureExtractor) p.fit(
        io.seqwatch.spi.Options.of(p.options(), java.util.Map.of()), training);
    FeatureVector bot = x.extract(training.get(0));
    assertEquals(6, bot.get("device_actors"));
    assertEquals(6, bot.get("ip_actors"));
    assertEquals(6, bot.get("subnet_actors"));
    assertEquals(Math.log10(10 / 9.0), bot.get("user_agent_rarity"), 1e-12);
    FeatureVector person = x.extract(training.get(7));
    assertEquals(1, person.get("device_actors"));
    assertEquals(Math.log10(10 / 9.0), person.get("user_agent_rarity"), 1e-12);
    assertEquals(1.0, x.extract(training.get(6)).get("user_agent_rarity"), 1e-12, "curl: one of ten actors");
    assertEquals(1.0, x.extract(seq("new", event(t, "view", "d9", "9.9.9.9", "Mozilla/5.0 (new)", null)))
        .get("user_agent_rarity"), 1e-12, "never seen: as rare as one actor");
    // saved and loaded: the same counts, so the same features
    java.util.Map<String, byte[]> files = new java.util.HashMap<>();
    x.save(name -> new ByteArrayOutputStream() {
      @Override
      public void close() {
        files.put(name, toByteArray());
      }
    });
    io.seqwatch.spi.ArtifactReader reader = new io.seqwatch.spi.ArtifactReader() {
      @Override
      public java.io.InputStream open(String name) {
        return new ByteArrayInputStream(files.get(name));
      }

      @Override
      public boolean contains(String name) {
        return files.containsKey(name);
      }
    };
    io.seqwatch.spi.FeatureExtractor back = p.load(io.seqwatch.spi.Options.of(p.options(), x.fittedOptions()), reader);
    for (BehaviorSequence s : training) {
      assertArrayEquals(x.extract(s).values(), back.extract(s).values(), 0.0);
    }
    files.put(BehaviorFeatureExtractor.POPULATION, java.util.Arrays.copyOf(files.get(BehaviorFeatureExtractor.POPULATION), 30));
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> p.load(io.seqwatch.spi.Options.of(p.options(), x.fittedOptions()), reader));
    assertTrue(e.getMessage().contains("population.bin is truncated"), e.getMessage());
  }

  private static BehaviorSequence seq(String actor, BehaviorEvent e) {
    return new BehaviorSequence(actor, List.of(new BehaviorEvent(actor, e.sessionId(), e.timestampMillis(), e.action(),
        e.type(), e.itemId(), e.categoryId(), e.price(), 0, e.attributes())));
  }

  @Provide
  Arbitrary<List<BehaviorEvent>> sequences() {
    Arbitrary<int[]> step = Combinators.combine(Arbitraries.integers().between(0, 30_000),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 5))
        .as((gap, action, a, b) -> new int[] {gap, action, a, b});
    return step.list().ofMinSize(1).ofMaxSize(60).map(steps -> {
      String[] actions = {"search", "pv", "cart", "search"};
      String[] uas = {CHROME, "curl/8.5.0", null};
      List<BehaviorEvent> out = new ArrayList<>();
      long t = 1_700_000_000_000L;
      for (int[] s : steps) {
        t += s[0];
        String action = actions[s[1]];
        BehaviorEvent e = event(t, action, s[2] == 5 ? null : "d" + s[2] % 3, s[3] == 5 ? null : "10.0." + s[2] + "." + s[3],
            uas[s[3] % 3], action.equals("search") && s[2] < 4 ? "query " + s[3] : null);
        // some events carry the account's creation time from a profile table, as a number or as text
        out.add(s[3] != 2 ? e : e.withAttributes(e.attributes().with(s[2] % 2 == 0
            ? Attributes.builder().numeric(Signals.ACCOUNT_CREATED, 1_690_000_000 + s[2]).build()
            : Attributes.builder().categorical(Signals.ACCOUNT_CREATED, "2023-07-2" + s[2] + "T10:00:00Z").build())));
      }
      return out;
    });
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void runningFeaturesEqualBatchFeaturesAfterEveryEvent(@ForAll("sequences") List<BehaviorEvent> events) {
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    for (int i = 0; i < events.size(); i++) {
      a.add(events.get(i));
      double[] batch = EXTRACTOR.extract(new BehaviorSequence("u", events.subList(0, i + 1))).values();
      assertArrayEquals(batch, a.features("u", EXTRACTOR.schema()).values(), 0.0, "after event " + (i + 1));
    }
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void anAccumulatorRestoredFromItsBytesContinuesIdentically(@ForAll("sequences") List<BehaviorEvent> events,
      @ForAll @IntRange(min = 0, max = 59) int cut) throws IOException {
    int at = Math.min(cut, events.size() - 1);
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    events.subList(0, at).forEach(a::add);
    BehaviorAccumulator b = BehaviorAccumulator.read(new DataInputStream(new ByteArrayInputStream(bytes(a))), EXTRACTOR);
    for (BehaviorEvent e : events.subList(at, events.size())) {
      a.add(e);
      b.add(e);
    }
    assertArrayEquals(a.features("u", EXTRACTOR.schema()).values(), b.features("u", EXTRACTOR.schema()).values(), 0.0);
  }

  @Test
  void aStateForOtherSignalsIsRefused() throws IOException {
    BehaviorAccumulator a = EXTRACTOR.accumulator();
    a.add(event(1_700_000_000_000L, "view", "d", "1.2.3.4", CHROME, null));
    byte[] withAll = bytes(a);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> BehaviorAccumulator.read(
        new DataInputStream(new ByteArrayInputStream(withAll)),
        new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6, Signals.parse("device"))));
    assertTrue(e.getMessage().contains("signals device,ip,user-agent,query,account, but the model uses device"), e.getMessage());
    e = assertThrows(ModelFormatException.class, () -> BehaviorAccumulator.read(
        new DataInputStream(new ByteArrayInputStream(withAll)), new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6)));
    assertTrue(e.getMessage().contains("with traffic signals, but the model uses none"), e.getMessage());
  }

  private static byte[] bytes(BehaviorAccumulator a) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.write(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }
}
