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
 * whole strings and (ASCII ones) as byte regions of a line.
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
        String line = "x," + v + ",y"; // as a reader's fast path looks it up: ASCII bytes of a line
        got = v.chars().allMatch(ch -> ch < 0x80)
            ? d.id(line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 2, 2 + v.length()) : d.id(v);
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

  /**
   * {@code ids} gives exactly the ids that one {@code id} call per number in order gives, whether the
   * dictionary is empty (filled without lookups), already holds numbers, or holds text; afterwards
   * the dictionary finds every number and gives its text back.
   */
  @Property(tries = 200)
  void idsInOneGoEqualOneCallPerNumber(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3_000) int n,
      @ForAll @IntRange(min = 0, max = 2) int before) {
    Random r = new Random(seed);
    TextDictionary bulk = new TextDictionary();
    TextDictionary oneByOne = new TextDictionary();
    for (int i = 0; i < 20 * before; i++) { // nothing, some numbers, or numbers and then text
      String v = before == 2 && i == 20 ? "u" + i : Long.toString(r.nextInt(100));
      assertEquals(oneByOne.id(v), bulk.id(v));
    }
    long[] values = new long[n];
    int[] want = new int[n];
    int range = 1 + r.nextInt(n + 1);
    for (int i = 0; i < n; i++) {
      values[i] = r.nextInt(4) == 0 ? 999_999_999_999_999_000L + r.nextInt(range) : r.nextInt(range);
      want[i] = oneByOne.id(Long.toString(values[i]));
    }
    long[] copy = values.clone();
    int[] got = bulk.ids(values, n);
    for (int i = 0; i < n; i++) {
      assertEquals(want[i], got[i], "at " + i + ": " + copy[i]);
    }
    assertEquals(oneByOne.size(), bulk.size());
    for (int id = 0; id < oneByOne.size(); id++) {
      assertEquals(oneByOne.text(id), bulk.text(id));
      assertEquals(id, bulk.id(oneByOne.text(id)), "found again");
    }
    assertEquals(oneByOne.size(), bulk.id("12345678901234567"), "a new number after");
  }
}
