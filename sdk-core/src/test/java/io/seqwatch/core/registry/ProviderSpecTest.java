package io.seqwatch.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.OptionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** One grammar for thresholds, screens and groupings: parse, print back, and the messages. */
class ProviderSpecTest {
  private static final List<OptionSpec> EVT = List.of(OptionSpec.ofDouble("risk", 0.004, "risk"),
      OptionSpec.ofString("trim", "skewed", "trim"));

  @Test
  void bareFirstValueKeyValuesAndNoValue() {
    assertEquals(new ProviderSpec("evt", Map.of("risk", "0.01")), ProviderSpec.parse("threshold", "evt:0.01", EVT));
    ProviderSpec both = ProviderSpec.parse("threshold", "evt:0.01,trim=none", EVT);
    assertEquals(Map.of("risk", "0.01", "trim", "none"), both.values());
    assertEquals("evt:risk=0.01,trim=none", both.toString());
    assertEquals(both, ProviderSpec.parse("threshold", both.toString(), EVT));
    assertEquals(new ProviderSpec("max-f1", Map.of()), ProviderSpec.parse("threshold", "max-f1", List.of()));
    // without '=', the rest is one bare value, commas and colons included
    assertEquals(Map.of("by", "key-prefix:,"), ProviderSpec.parse("threshold", "per-segment:key-prefix:,",
        List.of(OptionSpec.ofString("by", "length", "segmentation"))).values());
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertEquals("threshold spec 'max-f1:3': max-f1 takes no value; write 'max-f1'",
        assertThrows(ConfigurationException.class, () -> ProviderSpec.parse("threshold", "max-f1:3", List.of()))
            .getMessage());
    assertEquals("threshold spec 'evt:risk=0.01,0.5': '0.5' is not key=value; write for example evt:risk=0.004",
        assertThrows(ConfigurationException.class, () -> ProviderSpec.parse("threshold", "evt:risk=0.01,0.5", EVT))
            .getMessage());
    assertEquals("threshold spec 'evt:0.01,risk=0.02' gives option risk twice",
        assertThrows(ConfigurationException.class, () -> ProviderSpec.parse("threshold", "evt:0.01,risk=0.02", EVT))
            .getMessage());
  }

  @Property(tries = 200)
  void whatItPrintsParsesBack(@ForAll @AlphaChars @StringLength(min = 1, max = 12) String name,
      @ForAll @Size(max = 4) List<@CharRange(from = 'a', to = 'z') @StringLength(min = 1, max = 8) String> keys,
      @ForAll @IntRange(max = 1_000_000) int value) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String k : keys) {
      values.put(k, value + "." + k.length());
    }
    ProviderSpec spec = new ProviderSpec(name, values);
    List<OptionSpec> declared = keys.isEmpty() ? List.of()
        : keys.stream().distinct().map(k -> OptionSpec.ofString(k, "x", k)).toList();
    assertEquals(spec, ProviderSpec.parse("test", spec.toString(), declared));
  }
}
