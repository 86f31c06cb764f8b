package io.seqwatch.bench;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.prep.EventTable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Heap retained per event at each step a {@code train} holds its input through: the events read,
 * into the column store ({@link EventTable}), then cleaned (duplicates dropped, time order) and grouped into
 * sequences (row numbers sorted by sequence), each measured after full
 * collections as the growth of the used heap over the step before, divided by the events.
 *
 * <p>Usage: {@code RetainedHeapBenchmark <format> <file>}. Thread-safety: a command-line program.
 */
public final class RetainedHeapBenchmark {
  private RetainedHeapBenchmark() {}

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  public static void main(String[] args) throws IOException {
    long base = used();
    EventTable events = new EventTable();
    EventReaders.forFormat(args[0]).read(Path.of(args[1]), events, r -> { });
    events.trim();
    long read = used();
    List<BehaviorSequence> sequences = Pipeline.builder().detector("isolation-forest").build().sequences(events);
    long grouped = used();
    long n = 0;
    for (BehaviorSequence s : sequences) {
      n += s.size();
    }
    System.out.printf(Locale.ROOT, "%s: %,d events in %,d sequences; heap retained per event: read %.0f bytes, "
        + "cleaned and grouped %.0f bytes (column store: %.0f bytes of arrays per event)%n", args[1], n,
        sequences.size(), (double) (read - base) / n, (double) (grouped - base) / n, (double) events.heapBytes() / n);
  }
}
