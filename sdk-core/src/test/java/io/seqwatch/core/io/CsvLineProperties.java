package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;

/** Splitting a CSV line: fields come back as written, quoted or not (lines without quotes take a fast path). */
class CsvLineProperties {
  @Property(tries = 300)
  void fieldsComeBackAsWrittenQuotedOrNot(@ForAll @Size(min = 1, max = 8) List<@Chars({'a', '1', ' ', ',', '"', ';'}) String> fields,
      @ForAll boolean quoteAll) throws RecordException {
    List<String> written = new ArrayList<>();
    for (String f : fields) {
      boolean quote = quoteAll || f.indexOf(',') >= 0 || f.indexOf('"') >= 0;
      written.add(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    assertEquals(fields, CsvLine.split(String.join(",", written), ','));
  }

  @Example
  void emptyAndTrailingFieldsAndStrayQuotes() throws RecordException {
    assertEquals(List.of(""), CsvLine.split("", ','));
    assertEquals(List.of("a", "b", ""), CsvLine.split("a,b,", ','));
    assertEquals(List.of("", "", ""), CsvLine.split(",,", ','));
    assertEquals(List.of("a", "b,c"), CsvLine.split("a,\"b,c\"", ','));
    RecordException e = assertThrows(RecordException.class, () -> CsvLine.split("a,b\"c", ','));
    assertEquals("stray quote in unquoted field 2", e.getMessage());
  }
}
