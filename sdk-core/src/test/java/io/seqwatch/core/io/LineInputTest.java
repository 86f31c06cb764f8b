package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Lines as sed -n numbers them, bounded in length, whatever the line endings and read sizes. */
class LineInputTest {
  private static List<String> lines(Reader in, int max) throws IOException {
    LineInput l = new LineInput(in, max);
    List<String> out = new ArrayList<>();
    for (String s = l.next(); s != null; s = l.next()) {
      out.add(l.truncated() ? "TRUNCATED " + l.length() + " " + s : s);
    }
    return out;
  }

  /** A reader that hands out at most {@code chunk} characters per read, to cut CRLF across buffers. */
  private static Reader chunked(String text, int chunk) {
    return new Reader() {
      private int at;

      @Override
      public int read(char[] b, int off, int len) {
        if (at == text.length()) {
          return -1;
        }
        int n = Math.min(Math.min(len, chunk), text.length() - at);
        text.getChars(at, at + n, b, off);
        at += n;
        return n;
      }

      @Override
      public void close() {}
    };
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars('a', 'b', ',', '\n', '\r').ofMaxLength(200);
  }

  @Property(tries = 500)
  void lfFilesSplitAsSedNumbersThemWhateverTheReadSize(@ForAll("texts") String body,
      @ForAll @IntRange(min = 1, max = 9) int chunk) throws IOException {
    String text = "x\n" + body; // the first line break is an LF: an LF file
    List<String> expected = new ArrayList<>();
    for (String s : text.split("\n", -1)) {
      expected.add(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
    }
    if (text.endsWith("\n")) {
      expected.remove(expected.size() - 1);
    }
    assertEquals(expected, lines(chunked(text, chunk), 1_000));
  }

  @Test
  void classicMacFilesSplitAtCarriageReturns() throws IOException {
    assertEquals(List.of("a,1", "b,2", "c,3"), lines(new StringReader("a,1\rb,2\rc,3\r"), 100));
    assertEquals(List.of("a,1", "b\r,2"), lines(new StringReader("a,1\r\nb\r,2"), 100)); // an LF file keeps a lone CR
  }

  @Test
  void anOverlongLineComesBackCutWithItsLength() throws IOException {
    String text = "ok\n" + "y".repeat(50_000) + "\nok again";
    assertEquals(List.of("ok", "TRUNCATED 50000 " + "y".repeat(100), "ok again"), lines(chunked(text, 4096), 100));
  }

  @Test
  void aReaderRejectsAnOverlongLineWithItsNumberAndReadsOn() throws IOException {
    String old = System.getProperty("seqwatch.max-line-chars");
    System.setProperty("seqwatch.max-line-chars", "10000");
    try {
      String text = "1,10,100,pv,1511544070\n" + "2".repeat(3_000_000) + "\n1,11,100,cart,1511544071\n";
      List<BehaviorEvent> events = new ArrayList<>();
      List<RejectedRecord> rejected = new ArrayList<>();
      ReadSummary s = EventReaders.forFormat("taobao").read(new BufferedReader(new StringReader(text)), events::add,
          rejected::add);
      assertEquals(2, events.size());
      assertEquals(1, rejected.size());
      assertEquals(2, rejected.get(0).line());
      assertTrue(rejected.get(0).reason().startsWith("the line is 3,000,000 characters long, over the limit of 10,000"),
          rejected.get(0).reason());
      assertTrue(rejected.get(0).raw().length() <= 201);
      assertEquals(s.read(), s.accepted() + s.rejected());
      assertEquals(3, events.get(1).line(), "the lines after it keep their numbers");
    } finally {
      if (old == null) {
        System.clearProperty("seqwatch.max-line-chars");
      } else {
        System.setProperty("seqwatch.max-line-chars", old);
      }
    }
  }
}
