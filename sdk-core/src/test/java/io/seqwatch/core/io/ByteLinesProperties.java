package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.RejectedRecord;
import io.seqwatch.core.prep.EventTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Reading bytes gives what reading the decoded text gives: {@link ByteLines} splits, numbers, cuts
 * and decodes every line as {@link LineInput} does (LF, CR LF, a first lone CR that makes the input
 * CR-separated, lone CRs inside LF lines, CRs at the very end, a byte-order mark, multi-byte and
 * undecodable UTF-8, lines over the limit, input arriving a few bytes at a time so that breaks fall
 * on buffer edges), and every reader's byte path gives the same events, rejects and summary as its
 * text path, into a list and into the column store (the Taobao reader's rows straight from bytes).
 */
class ByteLinesProperties {
  private static final String[] PIECES = {"1", "22", ",", "pv", "buy", "cart", "fav", "1511658000", "\n", "\n", "\n",
      "\r\n", "\r", " ", "\t", "\"", ";", "{", "}", "ü", "中", "\uD83D\uDE00", "\uFEFF", "session,id", "a b", "x"};
  private static final byte[][] BAD = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}};

  /** Random bytes made of the pieces above, undecodable sequences now and then. */
  private static byte[] input(Random r, int pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (r.nextInt(8) == 0) {
      out.writeBytes("\uFEFF".getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < pieces; i++) {
      if (r.nextInt(40) == 0) {
        out.writeBytes(BAD[r.nextInt(BAD.length)]);
      } else {
        out.writeBytes(PIECES[r.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** A stream that hands out at most {@code chunk} bytes per read. */
  private static InputStream chunked(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Property(tries = 500)
  void linesAreLineInputs(@ForAll long seed, @ForAll @IntRange(min = 0, max = 200) int pieces,
      @ForAll @IntRange(min = 1, max = 40) int maxChars, @ForAll @IntRange(min = 1, max = 9) int chunk)
      throws IOException {
    byte[] bytes = input(new Random(seed), pieces);
    LineInput want = new LineInput(TextInput.reader(new ByteArrayInputStream(bytes)), maxChars);
    ByteLines got = new ByteLines(chunked(bytes, chunk), maxChars);
    for (int line = 1; ; line++) {
      String w = want.next();
      boolean more = got.next();
      assertEquals(w != null, more, "line " + line + " exists");
      if (w == null) {
        return;
      }
      assertEquals(w, got.text(), "line " + line);
      assertEquals(want.truncated(), got.truncated(), "line " + line + " cut");
      if (want.truncated()) {
        assertEquals(want.length(), got.length(), "line " + line + " length");
      }
      if (got.plain()) {
        assertEquals(w, new String(got.bytes(), got.from(), got.to() - got.from(), StandardCharsets.US_ASCII));
      }
    }
  }

  @Property(tries = 300)
  void everyReaderReadsBytesAsText(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int lines,
      @ForAll @IntRange(min = 1, max = 9) int chunk, @ForAll @IntRange(min = 8, max = 200) int maxChars)
      throws IOException {
    Random r = new Random(seed);
    String[] formats = {"taobao", "rees46", "diginetica", "tokens", "jsonl"};
    String format = formats[r.nextInt(formats.length)];
    StringBuilder text = new StringBuilder();
    if (r.nextBoolean()) {
      text.append(format.equals("rees46") ? Rees46Reader.HEADER : format.equals("diginetica")
          ? DigineticaReader.HEADER : "user_id,item_id").append('\n');
    }
    for (int i = 0; i < lines; i++) {
      text.append(switch (r.nextInt(7)) {
        case 0 -> r.nextInt(50) + "," + r.nextInt(9) + "," + r.nextInt(3) + ",pv,15116" + (58000 + r.nextInt(999));
        case 1 -> "2019-10-01 00:00:0" + r.nextInt(10) + " UTC,view,44600062,2103807459595387724,,shiseido,35.79,"
            + (541312140 + r.nextInt(3)) + ",72d76fde-8bb3-4e00-8c23-a032dfed738c";
        case 2 -> r.nextInt(20) + ";NA;" + r.nextInt(99) + ";" + r.nextInt(9999) + ";2016-05-09";
        case 3 -> "5 5 22 11 9";
        case 4 -> "{\"actor\":\"u" + r.nextInt(3) + "\",\"timestamp\":" + (1511658000000L + r.nextInt(999))
            + ",\"action\":\"view\"}";
        case 5 -> new String(input(r, 12), StandardCharsets.UTF_8);
        default -> r.nextInt(9) + "," + r.nextInt(9) + ",ü," + (r.nextBoolean() ? "buy" : "cart") + ",1511658000";
      }).append(r.nextInt(6) == 0 ? "\r\n" : "\n");
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    LineEventReader reader = (LineEventReader) EventReaders.forFormat(format);
    for (boolean table : new boolean[] {false, true}) {
      List<BehaviorEvent> viaText = new ArrayList<>();
      List<RejectedRecord> rejectedText = new ArrayList<>();
      EventTable textTable = new EventTable();
      ReadSummary fromText = reader.read(TextInput.reader(new ByteArrayInputStream(bytes)),
          table ? textTable : viaText::add, rejectedText::add, maxChars);
      List<BehaviorEvent> viaBytes = new ArrayList<>();
      List<RejectedRecord> rejectedBytes = new ArrayList<>();
      EventTable bytesTable = new EventTable();
      ReadSummary fromBytes = reader.read(chunked(bytes, chunk), table ? bytesTable : viaBytes::add,
          rejectedBytes::add, maxChars);
      assertEquals(fromText, fromBytes, format);
      assertEquals(rejectedText, rejectedBytes, format);
      if (table) {
        assertEquals(textTable.size(), bytesTable.size());
        for (int i = 0; i < textTable.size(); i++) {
          assertEquals(textTable.event(i), bytesTable.event(i), format + " row " + i);
        }
      } else {
        assertEquals(viaText, viaBytes, format);
      }
    }
  }
}
