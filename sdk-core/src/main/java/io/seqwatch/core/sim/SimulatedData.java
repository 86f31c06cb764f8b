package io.seqwatch.core.sim;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.eval.Labels;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Simulated events in time order and their labels (key = user id).
 *
 * @param events events sorted by time
 * @param labels one label per user, with the anomaly kind
 *     <p>Thread-safety: immutable.
 */
public record SimulatedData(List<BehaviorEvent> events, Labels labels) {
  public SimulatedData {
    events = List.copyOf(events);
  }

  /** Writes {@code events.csv} (Taobao format, no header) and {@code labels.csv} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("events.csv"), StandardCharsets.UTF_8)) {
      for (BehaviorEvent e : events) {
        w.write(e.actorId() + "," + e.itemId().orElseThrow() + "," + e.categoryId().orElseThrow() + ","
            + e.action() + "," + e.timestampMillis() / 1000);
        w.newLine();
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("labels.csv"), StandardCharsets.UTF_8)) {
      w.write("key,label,kind");
      w.newLine();
      for (Map.Entry<String, Boolean> e : labels.asMap().entrySet()) {
        w.write(e.getKey() + "," + (e.getValue() ? 1 : 0) + "," + labels.kind(e.getKey()).orElse(""));
        w.newLine();
      }
    }
  }
}
