package io.seqwatch.bench;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.Pipeline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap retained per event at each step a {@code train} holds its input through: the events read,
 * then cleaned (duplicates dropped, time order) and grouped into sequences, each measured after full
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
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat(args[0]).read(Path.of(args[1]), events::add, r -> { });
    long read = used();
    List<BehaviorSequence> sequences = Pipeline.builder().detector("isolation-forest").build().sequences(events);
    events = null;
    long grouped = used();
    int n = sequences.stream().mapToInt(BehaviorSequence::size).sum();
    System.out.printf(Locale.ROOT, "%s: %,d events in %,d sequences; heap retained per event: read %.0f bytes, "
        + "cleaned and grouped (the read list dropped) %.0f bytes%n", args[1], n, sequences.size(),
        (double) (read - base) / n, (double) (grouped - base) / n);
  }
}
