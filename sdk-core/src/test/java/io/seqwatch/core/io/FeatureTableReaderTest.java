package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.DataFormatException;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class FeatureTableReaderTest {
  private static FeatureTable read(FeatureTableReader r, String text, List<RejectedRecord> rejected) throws IOException {
    return r.read(new BufferedReader(new StringReader(text)), rejected::add);
  }

  @Test
  void keyAndLabelColumnsAreFoundByNameAndLeftOutOfTheFeatures() throws IOException {
    List<RejectedRecord> rejected = new ArrayList<>();
    FeatureTable t = read(FeatureTableReader.builder().build(),
        "ID,clicks,label,gap_s\nu1,3,0,1.5\n\nu2,40,1,0.2\n", rejected);
    assertEquals(List.of("clicks", "gap_s"), t.schema().names());
    assertEquals(Optional.of("ID"), t.keyColumn());
    assertEquals(Optional.of("label"), t.labelColumn());
    assertEquals(List.of("u1", "u2"), t.rows().stream().map(v -> v.key()).toList());
    assertArrayEquals(new double[] {40, 0.2}, t.rows().get(1).values());
    assertEquals(new ReadSummary(2, 2, 0, 1, 2), t.summary());
    assertEquals(List.of(), rejected);
  }

  @Test
  void withoutAKeyColumnRowsAreKeyedByLineNumberAndOtherDelimitersAreDetected() throws IOException {
    FeatureTable t = read(FeatureTableReader.builder().labelColumn("y").build(), "a;b;y\n1;2;0\n3;4;1\n",
        new ArrayList<>());
    assertEquals(List.of("2", "3"), t.rows().stream().map(v -> v.key()).toList());
    assertEquals(List.of("a", "b"), t.schema().names());
    FeatureTable tabs = read(FeatureTableReader.builder().keyColumn("user").build(), "user\tx\nA\t1e3\n",
        new ArrayList<>());
    assertEquals(1000.0, tabs.rows().get(0).get("x"));
  }

  @Test
  void badRowsAreRejectedWithLineNumberAndReasonAndNothingIsLost() throws IOException {
    List<RejectedRecord> rejected = new ArrayList<>();
    String text = String.join("\n", "key,a,b", "k1,1,2", "k2,x,2", "k3,1", "k4,,2", "k5,NaN,2", "k1,5,5",
        "k6,\"1\",2", "k7,1,Infinity") + "\n";
    FeatureTable t = read(FeatureTableReader.builder().build(), text, rejected);
    assertEquals(List.of("k1", "k6"), t.rows().stream().map(v -> v.key()).toList());
    assertEquals(List.of(
        new RejectedRecord(3, "column a: 'x' is not a number", "k2,x,2"),
        new RejectedRecord(4, "expected 3 fields as in the header, found 2", "k3,1"),
        new RejectedRecord(5, "column a is empty", "k4,,2"),
        new RejectedRecord(6, "column a: NaN is not a finite number", "k5,NaN,2"),
        new RejectedRecord(7, "key 'k1' was already used on line 2", "k1,5,5"),
        new RejectedRecord(9, "column b: Infinity is not a finite number", "k7,1,Infinity")), rejected);
    assertEquals(new ReadSummary(8, 2, 6, 0, 2), t.summary());
  }

  @Test
  void aHeaderThatCannotBeATableRefusesTheFileSayingWhy() {
    FeatureTableReader r = FeatureTableReader.builder().build();
    assertEquals("the feature table's header [key, label] names no feature column",
        assertThrows(DataFormatException.class, () -> read(r, "key,label\nu,1\n", new ArrayList<>())).getMessage());
    assertEquals("the feature table's header names column 'a' twice",
        assertThrows(DataFormatException.class, () -> read(r, "a,b,a\n1,2,3\n", new ArrayList<>())).getMessage());
    assertEquals("the feature table is empty: a header line naming the columns is expected",
        assertThrows(DataFormatException.class, () -> read(r, "\n\n", new ArrayList<>())).getMessage());
    assertEquals("the feature table has no key column 'user'; its columns are [id, a]",
        assertThrows(DataFormatException.class,
            () -> read(FeatureTableReader.builder().keyColumn("user").build(), "id,a\n1,2\n", new ArrayList<>()))
            .getMessage());
  }

  @Provide
  Arbitrary<List<String>> rows() {
    Arbitrary<String> cell = Arbitraries.oneOf(Arbitraries.doubles().between(-1e6, 1e6).map(Object::toString),
        Arbitraries.of("", "x", "NaN", "\"", "1,2", "u1"));
    return cell.list().ofMinSize(0).ofMaxSize(5).map(c -> String.join(",", c)).list().ofMaxSize(30);
  }

  @Property(tries = 200)
  void acceptedPlusRejectedIsRead(@ForAll("rows") List<String> rows) throws IOException {
    List<RejectedRecord> rejected = new ArrayList<>();
    FeatureTable t = read(FeatureTableReader.builder().build(), "key,a,b\n" + String.join("\n", rows), rejected);
    long nonBlank = rows.stream().filter(r -> !r.isBlank()).count();
    assertEquals(nonBlank, t.summary().read());
    assertEquals(t.summary().read(), t.rows().size() + rejected.size());
    assertEquals(rejected.size(), t.summary().rejected());
  }
}
