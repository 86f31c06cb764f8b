package io.seqwatch.core.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A dictionary gives each distinct string one dense id in order of first sight and the string back
 * for it, whether it holds numbers, text, or numbers first and then text (the switch keeps every id):
 * checked against a map on random mixes of plain numbers and strings that only look like numbers
 * (leading zeros, 19 digits, signs, blanks, non-ASCII digits, the empty string), found again both as
 * whole strings and as regions of a line.
 */
class TextDictionaryProperties {
  private static String value(Random r, int textShare) {
    if (r.nextInt(100) >= textShare) {
      return switch (r.nextInt(4)) {
        case 0 -> Long.toString(r.nextInt(50));
        case 1 -> Long.toString(1_000_000_000L + r.nextInt(2_000));
        case 2 -> Long.toString(999_999_999_999_999_000L + r.nextInt(999)); // 18 digits
        default -> Long.toString(Math.abs(r.nextLong() % 1_000_000_000_000_000_000L));
      };
    }
    return switch (r.nextInt(8)) {
      case 0 -> "0" + r.nextInt(20); // a leading zero: text, so that "007" is not "7"
      case 1 -> "1234567890123456789" + r.nextInt(3); // 20 digits
      case 2 -> "-" + r.nextInt(5);
      case 3 -> " " + r.nextInt(5);
      case 4 -> "\u0663" + r.nextInt(3); // an Arabic-Indic digit
      case 5 -> "";
      case 6 -> "u" + r.nextInt(40);
      default -> "\u00fc" + r.nextInt(10);
    };
  }

  @Property(tries = 300)
  void idsAreDenseStableAndGiveTheStringBack(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3_000) int n,
      @ForAll @IntRange(min = 0, max = 100) int textShare, @ForAll @IntRange(min = 0, max = 3_000) int textFrom) {
    Random r = new Random(seed);
    TextDictionary d = new TextDictionary();
    Map<String, Integer> expected = new HashMap<>();
    List<String> byId = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String v = value(r, i < textFrom ? 0 : textShare);
      Integer want = expected.get(v);
      if (want == null) {
        want = byId.size();
        expected.put(v, want);
        byId.add(v);
      }
      int got;
      if (r.nextBoolean()) {
        got = d.id(v);
      } else {
        String line = "x," + v + ",y";
        got = d.id(line, 2, 2 + v.length());
      }
      assertEquals(want, got, v);
    }
    assertEquals(byId.size(), d.size());
    d.trim();
    for (int id = 0; id < byId.size(); id++) {
      assertEquals(byId.get(id), d.text(id));
      assertEquals(id, d.id(byId.get(id)), "found again after trim");
    }
  }

  @Property(tries = 100)
  void numbersAreOnlyPlainDecimals(@ForAll long v) {
    String s = Long.toString(v);
    long parsed = TextDictionary.number(s, 0, s.length());
    assertEquals(v >= 0 && s.length() <= 18 ? v : -1, parsed, s);
    assertEquals(-1, TextDictionary.number("0" + s, 0, s.length() + 1));
  }
}
