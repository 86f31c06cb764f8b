package io.seqwatch.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.ModelProvenance;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelProvenanceTest {
  @Test
  void optionsAndSummaryAreHeldInNameOrderSoEqualModelsWriteEqualFiles() {
    Map<String, String> options = new HashMap<>();
    for (String k : List.of("window", "batch", "aggregate", "warmup", "epochs", "device", "size", "mask-rate")) {
      options.put(k, k.toUpperCase(java.util.Locale.ROOT));
    }
    ModelProvenance p = new ModelProvenance("masked-transformer", "1", Map.copyOf(options), "djl", 1,
        Map.copyOf(Map.of("sequences", "3", "events", "9", "device", "cpu()")), Instant.EPOCH);
    assertEquals(List.of("aggregate", "batch", "device", "epochs", "mask-rate", "size", "warmup", "window"),
        List.copyOf(p.options().keySet()));
    assertEquals(List.of("device", "events", "sequences"), List.copyOf(p.trainingSummary().keySet()));
    assertEquals(Map.copyOf(options), p.options()); // equal as maps, whatever their order
    assertThrows(UnsupportedOperationException.class, () -> p.options().put("x", "y"));
  }

  @Test
  void aMissingValueIsRefusedByName() {
    Map<String, String> options = new HashMap<>();
    options.put("window", null);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> new ModelProvenance("d", "1", options, "jvm", 1, Map.of(), Instant.EPOCH));
    assertEquals("options has no value for window", e.getMessage());
  }
}
