package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;

/** The readers never lose a record, whatever the input. */
class ReaderProperties {
  @Provide
  Arbitrary<List<String>> lines() {
    Arbitrary<String> valid = Arbitraries.integers().between(1, 999).flatMap(u ->
        Arbitraries.of("pv", "cart", "fav", "buy").map(b -> u + ",11," + (u % 7) + "," + b + ",1511658" + String.format("%03d", u)));
    Arbitrary<String> garbage = Arbitraries.strings().withCharRange(' ', '~').withChars(',', '"', ';', '{', '}')
        .ofMaxLength(40);
    Arbitrary<String> mutated = valid.flatMap(v -> Arbitraries.integers().between(0, v.length() - 1)
        .map(i -> v.substring(0, i)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, valid), net.jqwik.api.Tuple.of(3, garbage), net.jqwik.api.Tuple.of(2, mutated))
        .list().ofMaxSize(60);
  }

  @Property(tries = 300)
  void acceptedPlusRejectedIsRead(@ForAll("lines") List<String> lines,
      @ForAll("formats") String format) throws IOException {
    String text = String.join("\n", lines);
    List<BehaviorEvent> events = new ArrayList<>();
    List<RejectedRecord> rejected = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat(format)
        .read(new BufferedReader(new StringReader(text)), events::add, rejected::add);
    long nonBlank = text.isEmpty() ? 0 : text.lines().filter(l -> !l.isBlank()).count();
    boolean header = format.equals("rees46") || format.equals("diginetica");
    long expectedRead = header && nonBlank > 0 && isHeader(format, text) ? nonBlank - 1 : nonBlank;
    Assertions.assertEquals(expectedRead, s.read());
    Assertions.assertEquals(s.read(), s.accepted() + s.rejected());
    Assertions.assertEquals(s.rejected(), rejected.size());
    List<String> all = text.lines().toList();
    for (RejectedRecord r : rejected) {
      Assertions.assertEquals(all.get((int) r.line() - 1), r.raw(), "raw text of line " + r.line());
      Assertions.assertFalse(r.reason().isBlank());
    }
    Assertions.assertEquals(s.events(), events.size());
  }

  @Provide
  Arbitrary<List<String>> taobaoLines() {
    Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.integers().between(0, 99).map(String::valueOf),
        Arbitraries.of("", " 7", "7 ", "\u20037", "ü9", "\u2003", "a b", "\t3"));
    Arbitrary<String> behavior = Arbitraries.of("pv", "cart", "fav", "buy", "PV", "pv ", "click", "");
    Arbitrary<String> time = Arbitraries.of("1511658000", "1511658001", "01511658000", "+1511658000", "15", "946684799",
        "946684800", "4102444799", "4102444800", "99999999999999", "1.5e9", " 1511658000", "x");
    Arbitrary<String> line = net.jqwik.api.Combinators.combine(id, id, id, behavior, time)
        .as((u, i, c, b, t) -> u + "," + i + "," + c + "," + b + "," + t);
    Arbitrary<String> odd = Arbitraries.of("1,2,3,pv,1511658000,extra", "\"1\",2,3,pv,1511658000", "1,2,3,pv", "",
        "1,2,3,buy,1511658000\r");
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, line), net.jqwik.api.Tuple.of(1, odd)).list().ofMaxSize(40);
  }

  /**
   * The Taobao reader's fast path into the column store keeps exactly the rows, and rejects exactly
   * the lines with the same reasons, as reading events one by one: blanks around ids, empty and
   * blank ids, unknown behaviours, signs, leading zeros, out-of-range and malformed times, quotes.
   */
  @Property(tries = 300)
  void taobaoIntoTheColumnStoreMatchesEvents(@ForAll("taobaoLines") List<String> lines) throws IOException {
    String text = String.join("\n", lines);
    List<BehaviorEvent> events = new ArrayList<>();
    List<RejectedRecord> rejectedEvents = new ArrayList<>();
    ReadSummary viaEvents = EventReaders.forFormat("taobao")
        .read(new BufferedReader(new StringReader(text)), events::add, rejectedEvents::add);
    io.seqwatch.core.prep.EventTable table = new io.seqwatch.core.prep.EventTable();
    List<RejectedRecord> rejectedTable = new ArrayList<>();
    ReadSummary viaTable = EventReaders.forFormat("taobao")
        .read(new BufferedReader(new StringReader(text)), table, rejectedTable::add);
    Assertions.assertEquals(viaEvents, viaTable);
    Assertions.assertEquals(rejectedEvents, rejectedTable);
    Assertions.assertEquals(events.size(), table.size());
    for (int i = 0; i < events.size(); i++) {
      Assertions.assertEquals(events.get(i), table.event(i), "row " + i);
    }
  }

  private static boolean isHeader(String format, String text) {
    String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
    return first.equals(format.equals("rees46") ? Rees46Reader.HEADER : DigineticaReader.HEADER);
  }

  @Provide
  Arbitrary<String> formats() {
    return Arbitraries.of("taobao", "rees46", "diginetica", "tokens", "jsonl");
  }
}
