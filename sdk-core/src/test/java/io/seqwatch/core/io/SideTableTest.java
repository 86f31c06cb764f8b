package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.DataFormatException;
import io.seqwatch.api.RejectedRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Item and user-profile side tables: typing, joins and misses, rejects, bounds and refresh. */
class SideTableTest {
  @TempDir Path tmp;

  private final List<RejectedRecord> rejected = new ArrayList<>();

  @Test
  void aCsvItemCatalogueJoinsOnTheItemWithTypedColumnsAndVectors() throws IOException {
    Path f = tmp.resolve("items.csv");
    Files.writeString(f, String.join("\n", "item_id,brand,price_band,embedding",
        "i1,acme,3,0.5 -1.25 2", "i2,globex,,0 0 1", "i3,\"initech, inc\",1,x 1 2", "i4,acme,2"));
    SideTable t = SideTable.read(f, SideTable.On.ITEM, 100, rejected::add);
    assertEquals(new ReadSummary(4, 2, 2, 0, 2), t.summary());
    rejected.sort(java.util.Comparator.comparingLong(RejectedRecord::line));
    assertEquals(List.of(4L, 5L), rejected.stream().map(RejectedRecord::line).toList());
    assertEquals("embedding value 1 'x' is not a number", rejected.get(0).reason());
    assertEquals("has 3 fields, the header 4", rejected.get(1).reason());
    Attributes i1 = t.attributes("i1").orElseThrow();
    assertEquals(Optional.of("acme"), i1.string("item.brand"));
    assertEquals(OptionalDouble.of(3), i1.number("item.price_band"));
    assertEquals(OptionalDouble.of(-1.25), i1.number("item.embedding.1"));
    BehaviorEvent e = new BehaviorEvent("u", Optional.empty(), 0, "pv", io.seqwatch.api.ActionType.VIEW,
        Optional.of("i1"), Optional.empty(), OptionalDouble.empty(), 1,
        Attributes.builder().categorical("device", "d").categorical("item.brand", "own").build());
    BehaviorEvent joined = t.join(e);
    assertEquals(Optional.of("own"), joined.attributes().string("item.brand"), "the event's own value wins");
    assertEquals(Optional.of("d"), joined.attributes().string("device"));
    assertEquals(OptionalDouble.of(2), joined.attributes().number("item.embedding.2"));
    BehaviorEvent unknown = BehaviorEvent.of("u", 0, "pv", "i9", "c");
    assertSame(unknown, t.join(unknown), "a miss leaves the event as it is");
    assertEquals(1, t.hits());
    assertEquals(1, t.misses());
    assertEquals("items.csv: 1 events joined, 1 without a row", t.statsText());
  }

  @Test
  void aJsonlProfileTableJoinsOnTheActorAndFeedsTheAccountAge() throws IOException {
    Path f = tmp.resolve("actors.jsonl");
    Files.writeString(f, String.join("\n", "{\"user_id\":\"u1\",\"created\":\"2023-11-14T22:13:20Z\",\"segment\":\"gold\","
        + "\"verified\":true,\"vector\":[1,2]}", "{\"segment\":\"none\"}", "not json", "", "{\"user_id\":\"u2\",\"created\":1700000000}"));
    SideTable t = SideTable.read(f, SideTable.On.ACTOR, 100, rejected::add);
    assertEquals(new ReadSummary(4, 2, 2, 1, 2), t.summary());
    assertEquals("no key (one of id, key, item_id, actor_id, user_id, item, actor)", rejected.get(0).reason());
    Attributes u1 = t.attributes("u1").orElseThrow();
    assertEquals(Optional.of(AttributeType.CATEGORICAL), u1.type("actor.created"));
    assertEquals(Optional.of("true"), u1.string("actor.verified"));
    assertEquals(OptionalDouble.of(2), u1.number("actor.vector.1"));
    BehaviorEvent e = t.join(BehaviorEvent.of("u2", 1_700_086_400_000L, "pv", "i", "c"));
    assertEquals(OptionalDouble.of(1_700_000_000), e.attributes().number("actor.created"));
    io.seqwatch.core.features.BehaviorFeatureExtractor x = new io.seqwatch.core.features.BehaviorFeatureExtractor(
        java.time.ZoneId.of("UTC"), 0, 6, io.seqwatch.core.features.Signals.parse("account"));
    assertEquals(1.0, x.extract(new io.seqwatch.api.BehaviorSequence("u2", List.of(e))).get("account_age_days"), 1e-9);
    BehaviorEvent e1 = t.join(BehaviorEvent.of("u1", 1_700_000_000_000L + 3 * 86_400_000L, "pv", "i", "c"));
    assertEquals(3.0, x.extract(new io.seqwatch.api.BehaviorSequence("u1", List.of(e1))).get("account_age_days"), 1e-9);
    assertEquals(-1.0, x.extract(new io.seqwatch.api.BehaviorSequence("u3",
        List.of(t.join(BehaviorEvent.of("u3", 0, "pv", "i", "c"))))).get("account_age_days"), "no profile");
  }

  @Test
  void aRowWithBytesThatAreNotUtf8IsRejectedWithItsLine() throws IOException {
    Path f = tmp.resolve("items.csv");
    Files.write(f, new byte[] {'i', 'd', ',', 'b', '\n', 'i', '1', ',', 'a', '\n', 'i', '2', ',', (byte) 0xC3, (byte) 0x28, '\n'});
    SideTable t = SideTable.read(f, SideTable.On.ITEM, 10, rejected::add);
    assertEquals(new ReadSummary(2, 1, 1, 0, 1), t.summary());
    assertEquals(3, rejected.get(0).line());
    assertTrue(rejected.get(0).reason().startsWith("the line is not valid UTF-8"), rejected.get(0).reason());
  }

  @Test
  void aTableOverItsBoundIsRefusedAndAChangedFileIsReadAgain() throws IOException {
    Path f = tmp.resolve("items.csv");
    Files.writeString(f, "id,brand\ni1,a\ni2,b\ni3,c\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> SideTable.read(f, SideTable.On.ITEM, 2, r -> { }));
    assertTrue(e.getMessage().contains("has more than 2 rows"), e.getMessage());
    AtomicLong now = new AtomicLong(1_000);
    SideTable t = SideTable.refreshing(f, SideTable.On.ITEM, 10, 60_000, r -> { }, now::get);
    assertEquals(Optional.of("a"), t.attributes("i1").flatMap(a -> a.string("item.brand")));
    Files.writeString(f, "id,brand\ni1,z\n");
    Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5_000));
    BehaviorEvent ev = BehaviorEvent.of("u", 0, "pv", "i1", "c");
    assertEquals(Optional.of("a"), t.join(ev).attributes().string("item.brand"), "not yet due");
    now.addAndGet(60_000);
    assertEquals(Optional.of("z"), t.join(ev).attributes().string("item.brand"), "re-read once due");
    assertEquals(1, t.size());
    Files.writeString(f, "");
    Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 10_000));
    now.addAndGet(60_000);
    assertEquals(Optional.of("z"), t.join(ev).attributes().string("item.brand"), "a broken rewrite keeps the rows held");
  }
}
