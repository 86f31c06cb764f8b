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

  private static boolean isHeader(String format, String text) {
    String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
    return first.equals(format.equals("rees46") ? Rees46Reader.HEADER : DigineticaReader.HEADER);
  }

  @Provide
  Arbitrary<String> formats() {
    return Arbitraries.of("taobao", "rees46", "diginetica", "tokens", "jsonl");
  }
}
