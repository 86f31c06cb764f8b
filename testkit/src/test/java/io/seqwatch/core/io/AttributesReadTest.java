package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import io.seqwatch.testkit.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event attributes: the value type, what each reader keeps and lists as ignored, and the jsonl writer. */
class AttributesReadTest {
  @TempDir Path tmp;

  private final List<BehaviorEvent> events = new ArrayList<>();
  private final List<RejectedRecord> rejected = new ArrayList<>();

  private ReadSummary read(EventReader reader, String text) throws IOException {
    return reader.read(new BufferedReader(new StringReader(text)), events::add, rejected::add);
  }

  @Test
  void attributesAreTypedSortedSharedAndCompared() {
    Attributes a = Attributes.builder().categorical("ip", "10.0.0.1").numeric("app_build", 512).text("query", "shoes")
        .categorical("device", "d1").build();
    assertEquals(List.of("app_build", "device", "ip", "query"), a.names());
    assertEquals(Optional.of(AttributeType.TEXT), a.type("query"));
    assertEquals(OptionalDouble.of(512), a.number("app_build"));
    assertEquals(Optional.empty(), a.string("app_build"), "a number is not a string");
    assertEquals(Optional.of("d1"), a.string("device"));
    assertEquals("{app_build=512.0, device=\"d1\", ip=\"10.0.0.1\", query=\"shoes\"}", a.toString());
    Attributes b = Attributes.builder().categorical("device", "d2").categorical("ip", "10.0.0.2").numeric("app_build", 7)
        .text("query", "hats").build();
    assertSame(a.names().get(0), b.names().get(0));
    assertEquals(Optional.of("d9"), a.with(Attributes.builder().categorical("device", "d9").build()).string("device"));
    assertEquals(a, Attributes.builder().categorical("device", "d1").text("query", "shoes").categorical("ip", "10.0.0.1")
        .numeric("app_build", 512).build());
    assertTrue(!a.equals(b));
    assertSame(Attributes.EMPTY, Attributes.builder().build());
    assertThrows(IllegalArgumentException.class, () -> Attributes.builder().numeric("x", Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Attributes.builder().categorical(" ", "v"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Attributes.builder().add("build", AttributeType.NUMERIC, "5.2.1"));
    assertEquals("attribute 'build' is not a number: '5.2.1'", e.getMessage());
  }

  @Test
  void jsonlKeepsEveryExtraFieldTypedByValueAndListsWhatItIgnores() throws IOException {
    ReadSummary s = read(EventReaders.forFormat("jsonl"), String.join("\n",
        "{\"actor\":\"u1\",\"ts\":1700000000,\"action\":\"search\",\"device_id\":\"d-1\",\"ip\":\"10.1.2.3\","
            + "\"user_agent\":\"curl/8.5\",\"q\":\"red shoes\",\"referrer\":\"https://x.example\",\"app_build\":512,"
            + "\"logged_in\":true,\"tags\":[\"a\"],\"geo\":{\"country\":\"DE\"},\"empty\":\"\",\"none\":null}",
        "{\"actor\":\"u1\",\"ts\":1700000005,\"action\":\"view\",\"item\":\"i9\",\"device\":\"d-1\",\"tags\":[]}",
        "{\"actor\":\"u2\",\"ts\":1700000009,\"action\":\"view\"}"));
    assertEquals(3, s.accepted());
    Attributes a = events.get(0).attributes();
    assertEquals(List.of("app_build", "device", "ip", "logged_in", "query", "referrer", "user_agent"), a.names());
    assertEquals(Optional.of(AttributeType.TEXT), a.type(Attributes.QUERY));
    assertEquals(Optional.of(AttributeType.NUMERIC), a.type("app_build"));
    assertEquals(Optional.of("true"), a.string("logged_in"));
    assertEquals(Optional.of("d-1"), events.get(1).attributes().string(Attributes.DEVICE));
    assertSame(a.string(Attributes.DEVICE).get(), events.get(1).attributes().string(Attributes.DEVICE).get(),
        "a repeated value is held once");
    assertSame(Attributes.EMPTY, events.get(2).attributes());
    assertEquals(Map.of("app_build (numeric)", 1L, "device (categorical)", 2L, "ip (categorical)", 1L,
        "logged_in (categorical)", 1L, "query (text)", 1L, "referrer (categorical)", 1L, "user_agent (categorical)", 1L),
        s.attributes());
    assertEquals(Map.of("tags (array)", 2L, "geo (object)", 1L), s.ignored());
    assertTrue(s.fieldsText().startsWith("attributes kept: app_build (numeric) 1, device (categorical) 2"), s.fieldsText());
    assertTrue(s.fieldsText().endsWith("; ignored: geo (object) 1, tags (array) 2"), s.fieldsText());
  }

  @Test
  void jsonlWriterRoundTripsEveryFieldAndAttribute() throws IOException {
    String line = "{\"actor\":\"u1\",\"session\":\"s1\",\"timestamp\":1700000000123,\"action\":\"search\",\"item\":\"i\","
        + "\"category\":\"c\",\"price\":9.5,\"device\":\"d-1\",\"ip\":\"10.1.2.3\",\"query\":\"red shoes\",\"build\":12}";
    read(EventReaders.forFormat("jsonl"), line);
    BehaviorEvent e = events.get(0);
    String written = EventWriter.forFormat("jsonl").line(e);
    events.clear();
    read(EventReaders.forFormat("jsonl"), written);
    assertEquals(e.withAttributes(e.attributes()), events.get(0).withAttributes(e.attributes()));
    assertEquals(e.attributes(), events.get(0).attributes());
    assertEquals(e.timestampMillis(), events.get(0).timestampMillis());
  }

  @Test
  void csvMappingReadsAttributeColumnsWithTheirTypesAndListsUnmappedColumns() throws IOException {
    Path m = tmp.resolve("mapping.json");
    Files.writeString(m, "{\"columns\":{\"actor\":\"uid\",\"timestamp\":\"ts\",\"action\":\"ev\"},"
        + "\"attributes\":{\"device\":\"dev\",\"query\":\"q\",\"build\":\"numeric:ver\"}}");
    CsvMapping mapping = CsvMapping.read(m);
    ReadSummary s = read(EventReaders.forFormat("csv", mapping), String.join("\n",
        "uid,ts,ev,dev,q,ver,colour",
        "u1,1700000000,search,d1,red shoes,12,blue",
        "u1,1700000001,view,d1,,13,",
        "u1,1700000002,view,d1,,x13,"));
    assertEquals(2, s.accepted());
    assertEquals(1, s.rejected());
    assertEquals("attribute 'build' is not a number: 'x13'", rejected.get(0).reason());
    assertEquals(Optional.of(AttributeType.TEXT), events.get(0).attributes().type("query"));
    assertEquals(OptionalDouble.of(13), events.get(1).attributes().number("build"));
    assertEquals(List.of("build", "device"), events.get(1).attributes().names(), "an empty cell leaves it out");
    assertEquals(Map.of("colour (not in the mapping)", 2L), s.ignored());
  }

  @Test
  void realRees46KeepsBrandAndCategoryCode() throws IOException {
    Optional<Path> f = SharedData.file("rees46/events_oct_sample.csv");
    assumeTrue(f.isPresent(), "../shared/data is absent: skipping the real-data check");
    ReadSummary s = EventReaders.forFormat("rees46").read(f.get(), events::add, rejected::add);
    long brands = events.stream().filter(e -> e.attributes().has("brand")).count();
    long codes = events.stream().filter(e -> e.attributes().has("category_code")).count();
    assertTrue(brands > 3_000 && codes > 1_000, brands + " brands, " + codes + " category codes");
    assertEquals(brands, s.attributes().get("brand (categorical)"));
    assertEquals(codes, s.attributes().get("category_code (categorical)"));
    // the writer puts them back, so an injected log keeps them
    BehaviorEvent withBoth = events.stream().filter(e -> e.attributes().size() == 2).findFirst().orElseThrow();
    List<BehaviorEvent> again = new ArrayList<>();
    EventReaders.forFormat("rees46").read(new BufferedReader(new StringReader(Rees46Reader.HEADER + "\n"
        + EventWriter.forFormat("rees46").line(withBoth))), again::add, rejected::add);
    assertEquals(withBoth.attributes(), again.get(0).attributes());
  }
}
