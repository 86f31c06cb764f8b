package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.RejectedRecord;
import io.seqwatch.testkit.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
  @TempDir Path tmp;

  private final List<BehaviorEvent> events = new ArrayList<>();
  private final List<RejectedRecord> rejected = new ArrayList<>();

  private ReadSummary read(String format, String text) throws IOException {
    return EventReaders.forFormat(format).read(new BufferedReader(new StringReader(text)), events::add, rejected::add);
  }

  @Test
  void realTaobaoSliceRejectsOnlyTheTruncatedLastRow() throws IOException {
    Optional<Path> f = SharedData.file("taobao/user_behavior_2h.csv");
    assumeTrue(f.isPresent(), "../shared/data/taobao is absent: skipping the real-data check");
    ReadSummary s = EventReaders.forFormat("taobao").read(f.get(), events::add, rejected::add);
    assertEquals(96_169, s.read());
    assertEquals(96_168, s.accepted());
    assertEquals(1, s.rejected());
    assertEquals(96_168, events.size());
    RejectedRecord r = rejected.get(0);
    assertEquals(96_169, r.line());
    assertEquals("301780,543546,4181361,pv,15", r.raw());
    assertEquals("timestamp 15 is not a Unix time in seconds between 2000 and 2100 (truncated record?)", r.reason());
    Set<String> users = new HashSet<>();
    events.forEach(e -> users.add(e.actorId()));
    assertEquals(58_732, users.size());
  }

  @Test
  void realRees46Diginetica43UsersAndHdfsAreRead() throws IOException {
    Optional<Path> root = SharedData.root();
    assumeTrue(root.isPresent(), "../shared/data is absent");
    ReadSummary r = EventReaders.forFormat("rees46").read(root.get().resolve("rees46/events_oct_sample.csv"), events::add, rejected::add);
    assertEquals(r.read(), r.accepted() + r.rejected());
    assertTrue(r.accepted() >= 5_000, "rees46 accepted " + r.accepted());
    assertTrue(events.stream().anyMatch(e -> e.price().isPresent() && e.sessionId().isPresent()));
    events.clear();
    ReadSummary d = EventReaders.forFormat("diginetica").read(root.get().resolve("diginetica/item_views_sample.csv"), events::add, rejected::add);
    assertEquals(d.read(), d.accepted() + d.rejected());
    assertTrue(d.accepted() > 12_000, "diginetica accepted " + d.accepted());
    assertTrue(events.stream().allMatch(e -> e.type() == ActionType.VIEW && e.sessionId().isPresent()));
    events.clear();
    ReadSummary h = EventReaders.forFormat("tokens").read(root.get().resolve("hdfs/hdfs_train"), events::add, rejected::add);
    assertEquals(4_855, h.accepted()); // 4,854 newlines; the last line has none
    assertEquals(0, h.rejected());
    ReadSummary t = EventReaders.forFormat("taobao").read(root.get().resolve("taobao/user_behavior_43users.csv"), e -> {}, rejected::add);
    assertEquals(4_321, t.read());
  }

  @Test
  void aTokenStreamKeepsTheRepeatsAnEventLogWouldDrop() throws IOException {
    assertTrue(EventReaders.forFormat("tokens").repeatsAreData());
    for (String f : List.of("taobao", "rees46", "diginetica", "jsonl")) {
      assertTrue(!EventReaders.forFormat(f).repeatsAreData(), f);
    }
    // a session that repeats one key: cleaned as its reader says, every repeat stays
    EventReader reader = EventReaders.forFormat("tokens");
    List<BehaviorEvent> events = new ArrayList<>();
    reader.read(new BufferedReader(new StringReader("5 5 5 9\n")), events::add, r -> {});
    io.seqwatch.core.prep.Preprocessor clean = reader.repeatsAreData()
        ? io.seqwatch.core.prep.Preprocessor.keepDuplicates() : io.seqwatch.core.prep.Preprocessor.standard();
    assertEquals(List.of("5", "5", "5", "9"), clean.apply(events).stream().map(BehaviorEvent::action).toList());
  }

  @Test
  void taobaoRowsAreValidatedWithReasons() throws IOException {
    ReadSummary s = read("taobao", String.join("\n",
        "1,2,3,pv,1511658000",
        "1,2,3,click,1511658000",
        "1,2,3,pv",
        "",
        "1,,3,buy,1511658001",
        "x,2,3,cart,abc",
        "\"1,2\",2,3,fav,1511658002",
        "1,2,3,fav,1511658003"));
    assertEquals(7, s.read());
    assertEquals(3, s.accepted());
    assertEquals(4, s.rejected());
    assertEquals(1, s.blankLines());
    assertEquals(List.of(2L, 3L, 5L, 6L), rejected.stream().map(RejectedRecord::line).toList());
    assertEquals("behavior_type 'click' is not one of pv, cart, fav, buy", rejected.get(0).reason());
    assertEquals("expected 5 fields (user_id,item_id,category_id,behavior_type,timestamp), found 4", rejected.get(1).reason());
    assertEquals("item_id is empty", rejected.get(2).reason());
    assertEquals("timestamp 'abc' is not an integer (Unix seconds expected)", rejected.get(3).reason());
    assertEquals("1,2", events.get(1).actorId());
    assertEquals(ActionType.FAVORITE, events.get(2).type());
    assertEquals(1_511_658_003_000L, events.get(2).timestampMillis());
  }

  @Test
  void rees46KeepsPriceSessionAndMissingFields() throws IOException {
    ReadSummary s = read("rees46", Rees46Reader.HEADER + "\n"
        + "2019-10-01 00:00:05 UTC,purchase,44600062,2103807459595387724,,shiseido,35.79,541312140,72d7\n"
        + "2019-10-01 00:00:06 UTC,view,3900821,2053013552326770905,appliances.water,aqua,,554748717,\n"
        + "2019-10-01 00:00:07,view,1,2,,,1.0,3,s\n");
    assertEquals(3, s.read());
    assertEquals(2, s.accepted());
    assertEquals(ActionType.PURCHASE, events.get(0).type());
    assertEquals(35.79, events.get(0).price().getAsDouble());
    assertEquals(Optional.of("72d7"), events.get(0).sessionId());
    assertTrue(events.get(1).price().isEmpty());
    assertTrue(events.get(1).sessionId().isEmpty());
    assertEquals("event_time '2019-10-01 00:00:07' does not end in ' UTC'", rejected.get(0).reason());
    assertEquals(4, rejected.get(0).line());
  }

  @Test
  void digineticaUsesSessionWhenUserIsMissing() throws IOException {
    read("diginetica", DigineticaReader.HEADER + "\n1;NA;81766;526309;2016-05-09\n2;77;5;10;2016-05-10\n3;1;2;x;2016-05-10\n");
    assertEquals("session:1", events.get(0).actorId());
    assertEquals("77", events.get(1).actorId());
    assertEquals(java.time.Instant.parse("2016-05-09T00:00:00Z").toEpochMilli() + 526_309, events.get(0).timestampMillis());
    assertEquals("timeframe 'x' is not an integer (milliseconds)", rejected.get(0).reason());
  }

  @Test
  void tokensLinesBecomeOneSequenceEach() throws IOException {
    ReadSummary s = read("tokens", "5 5 22 11\n\n  9 26 \n");
    assertEquals(2, s.accepted());
    assertEquals(6, s.events());
    assertEquals(List.of("1", "1", "1", "1", "3", "3"), events.stream().map(BehaviorEvent::actorId).toList());
    assertEquals(List.of("5", "5", "22", "11", "9", "26"), events.stream().map(BehaviorEvent::action).toList());
  }

  @Test
  void jsonlAcceptsSecondsMillisAndIso() throws IOException {
    ReadSummary s = read("jsonl", String.join("\n",
        "{\"actor\":\"a\",\"timestamp\":1511658000,\"action\":\"view\",\"item\":\"i1\",\"price\":3.5}",
        "{\"user_id\":7,\"ts\":1511658000123,\"event\":\"add_to_cart\"}",
        "{\"user\":\"b\",\"time\":\"2017-11-26T01:00:00Z\",\"behavior\":\"purchase\",\"session\":\"s1\"}",
        "{\"actor\":\"a\",\"action\":\"view\"}",
        "not json"));
    assertEquals(3, s.accepted());
    assertEquals(1_511_658_000_000L, events.get(0).timestampMillis());
    assertEquals(3.5, events.get(0).price().getAsDouble());
    assertEquals("7", events.get(1).actorId());
    assertEquals(ActionType.CART, events.get(1).type());
    assertEquals(1_511_658_000_123L, events.get(1).timestampMillis());
    assertEquals(ActionType.PURCHASE, events.get(2).type());
    assertEquals("no timestamp (timestamp, ts or time)", rejected.get(0).reason());
    assertTrue(rejected.get(1).reason().startsWith("not valid JSON"), rejected.get(1).reason());
  }

  @Test
  void aPatternWithAZoneOffsetGivesTheSameInstantInEveryZone() throws IOException {
    Path mapping = tmp.resolve("z.json");
    Files.writeString(mapping, "{\"columns\":{\"actor\":\"uid\",\"timestamp\":\"when\",\"action\":\"what\"},"
        + "\"timestampFormat\":\"pattern:yyyy-MM-dd HH:mm:ssXXX\"}");
    Path data = tmp.resolve("z.csv");
    Files.writeString(data, "uid,when,what\nu1,2017-11-26 09:00:00+08:00,pv\nu2,2017-11-26 01:00:00Z,pv\n"
        + "u3,2017-11-26 01:00:00,pv\n");
    EventReaders.forFormat("csv", CsvMapping.read(mapping)).read(data, events::add, rejected::add);
    assertEquals(2, events.size());
    assertEquals(events.get(0).timestampMillis(), events.get(1).timestampMillis(), "the same instant");
    assertEquals(java.time.Instant.parse("2017-11-26T01:00:00Z").toEpochMilli(), events.get(0).timestampMillis());
    assertEquals("timestamp '2017-11-26 01:00:00' does not match pattern:yyyy-MM-dd HH:mm:ssXXX", rejected.get(0).reason());
    // without an offset in the pattern the time is UTC
    events.clear();
    Files.writeString(mapping, "{\"columns\":{\"actor\":\"uid\",\"timestamp\":\"when\",\"action\":\"what\"},"
        + "\"timestampFormat\":\"pattern:yyyy-MM-dd HH:mm:ss\"}");
    Files.writeString(data, "uid,when,what\nu3,2017-11-26 01:00:00,pv\n");
    EventReaders.forFormat("csv", CsvMapping.read(mapping)).read(data, events::add, rejected::add);
    assertEquals(java.time.Instant.parse("2017-11-26T01:00:00Z").toEpochMilli(), events.get(0).timestampMillis());
  }

  @Test
  void csvWithMappingByNameAndTokensColumn() throws IOException {
    Path mapping = tmp.resolve("m.json");
    Files.writeString(mapping, "{\"delimiter\":\";\",\"columns\":{\"actor\":\"uid\",\"timestamp\":\"when\","
        + "\"action\":\"what\",\"item\":\"sku\"},\"timestampFormat\":\"iso\",\"actions\":{\"seen\":\"view\"}}");
    Path data = tmp.resolve("d.csv");
    Files.writeString(data, "when;uid;what;sku\n2017-11-26T01:00:00Z;u1;seen;s9\nbad;u1;seen;s9\n");
    ReadSummary s = EventReaders.forFormat("csv", CsvMapping.read(mapping)).read(data, events::add, rejected::add);
    assertEquals(1, s.accepted());
    assertEquals(ActionType.VIEW, events.get(0).type());
    assertEquals(Optional.of("s9"), events.get(0).itemId());
    assertEquals("timestamp 'bad' is not an ISO-8601 instant", rejected.get(0).reason());

    events.clear();
    Optional<Path> hdfs = SharedData.file("hdfs/hdfs_valid_labelled.csv");
    assumeTrue(hdfs.isPresent(), "hdfs data absent");
    Files.writeString(mapping, "{\"tokens\":\"Sequence\"}");
    ReadSummary h = EventReaders.forFormat("csv", CsvMapping.read(mapping)).read(hdfs.get(), events::add, rejected::add);
    assertEquals(2_000, h.accepted());
    assertEquals("2", events.get(0).actorId());
  }

  @Test
  void unknownFormatAndMissingMappingAreConfigurationErrors() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> EventReaders.forFormat("parquet"));
    assertEquals("unknown format 'parquet'; formats: taobao, rees46, diginetica, tokens, jsonl, csv", e.getMessage());
    assertThrows(ConfigurationException.class, () -> EventReaders.forFormat("csv"));
  }

  @Test
  void quarantineFileKeepsEveryRejectedRecord() throws IOException {
    Path q = tmp.resolve("rejected.csv");
    try (QuarantineWriter w = new QuarantineWriter(q)) {
      EventReaders.forFormat("taobao").read(new BufferedReader(new StringReader("a,b\n1,2,3,pv,1511658000\n\"x\n")), e -> {}, w);
      assertEquals(2, w.count());
    }
    List<String> lines = Files.readAllLines(q);
    assertEquals("line,reason,raw", lines.get(0));
    assertEquals("1,\"expected 5 fields (user_id,item_id,category_id,behavior_type,timestamp), found 2\",\"a,b\"", lines.get(1));
    assertEquals("3,unterminated quoted field 1,\"\"\"x\"", lines.get(2));
  }

  @Test
  void aLineThatIsNotUtf8IsRejectedWithItsNumberAndReadingGoesOn() throws IOException {
    Path f = tmp.resolve("bad-bytes.csv");
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes("1,10,100,pv,1511544070\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {'2', ',', '1', '1', ',', (byte) 0xC3, (byte) 0x28, ',', 'p', 'v', ',', '1', '\n'});
    b.writeBytes("3,12,102,buy,1511544090\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.write(f, b.toByteArray());
    List<BehaviorEvent> events = new ArrayList<>();
    List<RejectedRecord> rejected = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("taobao").read(f, events::add, rejected::add);
    assertEquals(new ReadSummary(3, 2, 1, 0, 2), s);
    assertEquals(2, rejected.get(0).line());
    assertEquals("the line is not valid UTF-8 (an undecodable byte sequence at character 6)", rejected.get(0).reason());
    assertEquals(List.of("1", "3"), events.stream().map(BehaviorEvent::actorId).toList());
  }

  @Test
  void aUtf16FileIsRefusedWithWhatToDo() throws IOException {
    Path f = tmp.resolve("utf16.csv");
    Files.write(f, "1,10,100,pv,1511544070\n".getBytes(java.nio.charset.StandardCharsets.UTF_16)); // BOM FE FF
    io.seqwatch.api.DataFormatException e = assertThrows(io.seqwatch.api.DataFormatException.class,
        () -> EventReaders.forFormat("taobao").read(f, x -> { }, x -> { }));
    assertEquals(f + " is UTF-16BE (it starts with that byte-order mark); Seqwatch reads UTF-8: convert it first, "
        + "e.g. iconv -f UTF-16BE -t UTF-8 utf16.csv > utf8-utf16.csv", e.getMessage());
  }

  @Test
  void jsonlTimestampsBeyondTheRangeOfALongAreRejectedNotWrapped() throws IOException {
    String text = String.join("\n",
        "{\"actor\": \"a\", \"action\": \"view\", \"timestamp\": -2305843007613693952}",
        "{\"actor\": \"b\", \"action\": \"view\", \"timestamp\": 18446744075309551616}",
        "{\"actor\": \"c\", \"action\": \"view\", \"timestamp\": 1600000000}") + "\n";
    List<BehaviorEvent> events = new ArrayList<>();
    List<RejectedRecord> rejected = new ArrayList<>();
    EventReaders.forFormat("jsonl").read(new BufferedReader(new StringReader(text)), events::add, rejected::add);
    assertEquals(List.of("c"), events.stream().map(BehaviorEvent::actorId).toList());
    assertEquals(List.of(1L, 2L), rejected.stream().map(RejectedRecord::line).toList());
    assertEquals("timestamp -2305843007613693952 is out of range (Unix seconds or milliseconds)",
        rejected.get(0).reason());
    assertEquals("timestamp 18446744075309551616 is out of range (Unix seconds or milliseconds)",
        rejected.get(1).reason());
  }
}
