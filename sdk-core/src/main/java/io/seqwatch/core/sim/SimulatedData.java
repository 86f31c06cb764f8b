package io.seqwatch.core.sim;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.io.EventWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

  /**
   * Writes {@code events.csv} (Taobao format, no header), or {@code events.jsonl} when the events
   * carry attributes or searches, and {@code labels.csv} into {@code dir}.
   *
   * @return the events file written
   */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    boolean rich = events.stream().anyMatch(e -> !e.attributes().isEmpty() || e.itemId().isEmpty());
    EventWriter w = EventWriter.forFormat(rich ? "jsonl" : "taobao");
    Path file = dir.resolve(rich ? "events.jsonl" : "events.csv");
    w.write(file, events.stream().map(w::line)::iterator);
    labels.write(dir.resolve("labels.csv"));
    return file;
  }
}
