package io.seqwatch.core.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationSpecTest {
  @Test
  void parsesAndPrintsBackTheOneDurationSyntax() {
    assertEquals(Duration.ofSeconds(30), DurationSpec.parse("30s"));
    assertEquals(Duration.ofMinutes(5), DurationSpec.parse(" 5M "));
    assertEquals(Duration.ofHours(24), DurationSpec.parse("24h"));
    assertEquals(Duration.ZERO, DurationSpec.parse("0"));
    for (String s : new String[] {"30s", "90m", "2h", "0", "45s"}) {
      assertEquals(s, DurationSpec.format(DurationSpec.parse(s)));
    }
    assertEquals("2h", DurationSpec.format(Duration.ofMinutes(120)));
    for (String bad : new String[] {"", "s", "30", "30d", "-5m", "1.5h", "PT30S", "99999999999999999999s"}) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> DurationSpec.parse(bad), bad);
      assertEquals("'" + bad + "' is not a duration such as 30s, 5m or 24h", e.getMessage());
    }
    // grouping writes its gap with it, and refuses what it refuses
    assertEquals("gap:90m", Grouping.parse("gap:5400s").spec());
    assertThrows(ConfigurationException.class, () -> Grouping.parse("gap:30d"));
    assertThrows(ConfigurationException.class, () -> Grouping.parse("gap:0"));
  }
}
