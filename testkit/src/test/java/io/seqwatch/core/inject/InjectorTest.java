package io.seqwatch.core.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.EventWriter;
import io.seqwatch.testkit.SharedData;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class InjectorTest {
  /** The shop logs of ../shared/data: format and file. */
  static Stream<Arguments> shopLogs() {
    return Stream.of(Arguments.of("taobao", "taobao/user_behavior_2h.csv"),
        Arguments.of("rees46", "rees46/events_oct_sample.csv"), Arguments.of("diginetica", "diginetica/item_views_sample.csv"));
  }

  /** A shop log of ../shared/data, or the test skipped with a message when the folder is absent. */
  private static List<BehaviorEvent> realLog(String format, String file) throws java.io.IOException {
    Optional<Path> path = SharedData.file(file);
    assumeTrue(path.isPresent(), "../shared/data is absent; skipping the injection check on real logs");
    List<BehaviorEvent> real = new ArrayList<>();
    EventReaders.forFormat(format).read(path.get(), real::add, r -> { });
    return real;
  }

  @ParameterizedTest
  @MethodSource("shopLogs")
  void graftsLabelledAttacksThatReadBackInTheLogsOwnFormat(String format, String file) throws Exception {
    List<BehaviorEvent> real = realLog(format, file);
    Injector.Injected a = Injector.builder().rate(0.05).seed(3).build().inject(real);
    Injector.Injected b = Injector.builder().rate(0.05).seed(3).build().inject(real);
    assertEquals(a.attacks(), b.attacks(), "equal seeds, equal attacks");
    assertEquals(a.labels().asMap(), b.labels().asMap());
    Labels labels = a.labels();
    long attackers = labels.asMap().values().stream().filter(x -> x).count();
    assertEquals(0.05, attackers / (double) labels.size(), 0.005, "attack rate");
    // every actor of the log and every attacker has a label; every attacker has a kind
    Set<String> actors = real.stream().map(BehaviorEvent::actorId).collect(Collectors.toSet());
    a.attacks().forEach(e -> actors.add(e.actorId()));
    assertEquals(actors, labels.asMap().keySet());
    labels.asMap().forEach((k, v) -> assertEquals(v, labels.kind(k).isPresent(), k));
    // a view-only log gets no cart attacks, and says so
    boolean carts = real.stream().anyMatch(e -> e.type() == io.seqwatch.api.ActionType.CART);
    assertEquals(!carts, a.skipped().contains(AttackKind.BRUSHING));
    // written in the format and read back: the same events
    EventWriter w = EventWriter.forFormat(format);
    StringBuilder text = new StringBuilder(w.header().map(h -> h + "\n").orElse(""));
    a.attacks().forEach(e -> text.append(w.line(e)).append('\n'));
    List<BehaviorEvent> back = new ArrayList<>();
    List<Object> rejected = new ArrayList<>();
    EventReaders.forFormat(format).read(new BufferedReader(new StringReader(text.toString())), back::add, rejected::add);
    assertEquals(List.of(), rejected);
    assertEquals(a.attacks().size(), back.size());
    for (int i = 0; i < back.size(); i++) {
      BehaviorEvent x = a.attacks().get(i);
      BehaviorEvent y = back.get(i);
      assertEquals(x.actorId(), y.actorId());
      assertEquals(x.timestampMillis() / 1000, y.timestampMillis() / 1000);
      assertEquals(x.type(), y.type());
      assertEquals(x.itemId(), y.itemId());
    }
    // a takeover continues a real actor's history, after its last real event
    String owner = labels.asMap().keySet().stream()
        .filter(k -> labels.kind(k).equals(Optional.of("account_takeover"))).findFirst().orElseThrow();
    long lastReal = real.stream().filter(e -> e.actorId().equals(owner)).mapToLong(BehaviorEvent::timestampMillis)
        .max().orElseThrow();
    assertTrue(a.attacks().stream().filter(e -> e.actorId().equals(owner))
        .allMatch(e -> e.timestampMillis() >= lastReal + 30 * 60_000L));
  }

  @ParameterizedTest
  @CsvSource({"0.01", "0.1"})
  void ratesAndKindsAreHonouredOnSmallLogs(double rate) {
    List<BehaviorEvent> real = new ArrayList<>();
    for (int u = 0; u < 400; u++) {
      for (int i = 0; i < 6; i++) {
        real.add(BehaviorEvent.of("" + (1000 + u), 1_511_625_600_000L + u * 60_000L + i * 20_000L,
            i == 4 ? "cart" : i == 5 ? "buy" : "pv", "" + (u * 7 + i) % 300, "" + (u + i) % 40));
      }
    }
    Injector.Injected inj = Injector.builder().rate(rate).seed(1)
        .kinds(EnumSet.of(AttackKind.CLICK_BOT, AttackKind.ACCOUNT_TAKEOVER)).build().inject(real);
    Map<String, Boolean> l = inj.labels().asMap();
    assertEquals(rate, l.values().stream().filter(x -> x).count() / (double) l.size(), 0.006);
    assertEquals(Set.of(AttackKind.CLICK_BOT, AttackKind.ACCOUNT_TAKEOVER), inj.counts().keySet());
    assertFalse(inj.attacks().isEmpty());
    assertThrows(ConfigurationException.class, () -> Injector.builder().rate(0.6));
    assertThrows(ConfigurationException.class, () -> AttackKind.parse("ddos"));
    assertEquals(AttackKind.CLICK_BOT, AttackKind.parse("click-bot"));
  }

  @ParameterizedTest
  @MethodSource("shopLogs")
  void attacksAsLongAsPeopleAreTheFirstEventsOfTheWholeAttacks(String format, String file) throws Exception {
    List<BehaviorEvent> real = realLog(format, file);
    Injector.Injected whole = Injector.builder().rate(0.05).seed(5).build().inject(real);
    Injector.Injected cut = Injector.builder().rate(0.05).seed(5).lengthsLikeLog(true).build().inject(real);
    assertEquals(whole.labels().asMap(), cut.labels().asMap(), "the same attackers, of the same kinds");
    assertEquals(cut.attacks(), Injector.builder().rate(0.05).seed(5).lengthsLikeLog(true).build().inject(real).attacks());
    Map<String, List<BehaviorEvent>> wholeBy = whole.attacks().stream().collect(Collectors.groupingBy(
        BehaviorEvent::actorId));
    Map<String, List<BehaviorEvent>> cutBy = cut.attacks().stream().collect(Collectors.groupingBy(BehaviorEvent::actorId));
    assertEquals(wholeBy.keySet(), cutBy.keySet());
    int longest = real.stream().collect(Collectors.groupingBy(e -> e.actorId() + "\0" + e.sessionId().orElse(""),
        Collectors.counting())).values().stream().mapToInt(Long::intValue).max().orElseThrow();
    int short3 = 0;
    for (Map.Entry<String, List<BehaviorEvent>> a : cutBy.entrySet()) {
      List<BehaviorEvent> w = wholeBy.get(a.getKey());
      List<BehaviorEvent> c = a.getValue();
      assertEquals(w.subList(0, c.size()), c, "an attacker's events are the first of its whole attack: " + a.getKey());
      assertTrue(c.size() >= Math.min(w.size(), Injector.MIN_LENGTH) && c.size() <= Math.max(longest,
          Injector.MIN_LENGTH), a.getKey() + " has " + c.size() + " events");
      short3 += c.size() <= 3 ? 1 : 0;
    }
    // whole attacks have 15 events or more (takeovers 3 or more): cut ones are mostly as short as people
    long wholeShort = wholeBy.values().stream().filter(w -> w.size() <= 3).count();
    assertTrue(short3 > cutBy.size() / 3 && wholeShort < cutBy.size() / 10, short3 + " of " + cutBy.size()
        + " cut attackers have 3 events or fewer, " + wholeShort + " whole ones");
  }
}
