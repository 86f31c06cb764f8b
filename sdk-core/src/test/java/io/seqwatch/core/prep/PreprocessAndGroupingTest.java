package io.seqwatch.core.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PreprocessAndGroupingTest {
  private static BehaviorEvent e(String actor, String session, long s, String action, long line) {
    return new BehaviorEvent(actor, Optional.ofNullable(session), s * 1000, action, ActionType.fromAlias(action),
        Optional.of("i"), Optional.empty(), OptionalDouble.empty(), line);
  }

  @Test
  void duplicatesDroppedOrderRestoredMissingCounted() {
    List<PreprocessReport> report = new ArrayList<>();
    List<BehaviorEvent> out = Preprocessor.standard().apply(List.of(
        e("a", null, 10, "pv", 1), e("a", null, 5, "pv", 2), e("a", null, 10, "pv", 3), e("b", null, 7, "cart", 4)),
        report::add);
    assertEquals(List.of(2L, 4L, 1L), out.stream().map(BehaviorEvent::line).toList());
    PreprocessReport r = report.get(0);
    assertEquals(4, r.input());
    assertEquals(3, r.output());
    assertEquals(1, r.duplicatesRemoved());
    assertEquals(1, r.outOfOrder());
    assertEquals(3, r.missingCategory());
    assertEquals(4, Preprocessor.keepDuplicates().apply(List.of(
        e("a", null, 10, "pv", 1), e("a", null, 5, "pv", 2), e("a", null, 10, "pv", 3), e("b", null, 7, "cart", 4))).size());
  }

  @Test
  void groupByActorSessionAndGap() {
    List<BehaviorEvent> ev = List.of(e("a", "s1", 0, "pv", 1), e("b", null, 1, "pv", 2), e("a", "s1", 60, "pv", 3),
        e("a", "s2", 4000, "pv", 4), e("a", "s2", 4010, "buy", 5));
    assertEquals(List.of("a", "b"), Grouping.byActor().group(ev).stream().map(BehaviorSequence::key).toList());
    assertEquals(List.of("s1", "b", "s2"), Grouping.parse("session").group(ev).stream().map(BehaviorSequence::key).toList());
    List<BehaviorSequence> gap = Grouping.parse("gap:30m").group(ev);
    assertEquals(List.of("a#1970-01-01T00:00:00Z", "b#1970-01-01T00:00:01Z", "a#1970-01-01T01:06:40Z"), gap.stream().map(BehaviorSequence::key).toList());
    assertEquals(2, gap.get(2).size());
    assertEquals("gap:30m", Grouping.byGap(Duration.ofMinutes(30)).spec());
    assertEquals("gap:2h", Grouping.parse("gap:120m").spec());
    ConfigurationException x = assertThrows(ConfigurationException.class, () -> Grouping.parse("user"));
    assertEquals("unknown grouping 'user'; use actor, session or gap:<n><s|m|h> such as gap:30m", x.getMessage());
  }
}
