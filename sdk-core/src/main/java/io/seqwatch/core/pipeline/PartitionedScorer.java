package io.seqwatch.core.pipeline;

import com.google.common.hash.Hashing;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Contribution;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventRecords;
import io.seqwatch.core.prep.EventTable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Scores an event log larger than memory with a {@link FittedPipeline}: events are spilled to disk
 * in partitions by their stream key ({@link io.seqwatch.core.prep.Grouping#streamKey}), so that every
 * sequence lands whole in one partition; each partition is then cleaned, grouped and scored in
 * memory, and the scores are merged back in the order of each sequence's first event (time, then
 * line). The result is what {@link FittedPipeline#scoreEvents(List, int)} gives for the whole log,
 * score for score and in the same order whenever events' (time, line) pairs are distinct, as every
 * reader makes them (ties between sequences of different partitions go by partition). Memory is
 * bounded by the largest partition, not the log; with one partition nothing is spilled. With
 * {@link Builder#spillAbove} the events stay in memory while their column store is within the bound
 * and are spilled only past it (spilling costs a write and a read of every event: 10M Taobao
 * events scored in 56 s in memory, 94 s through seven partitions).
 *
 * <pre>{@code
 * long bytes = Files.size(log);
 * try (PartitionedScorer s = PartitionedScorer.builder(pipeline)
 *     .partitions(PartitionedScorer.partitionsFor(bytes)) // if it has to spill
 *     .spillAbove(Runtime.getRuntime().maxMemory() / 4)  // in memory up to here
 *     .spillDirectory(tmp).build()) {
 *   EventReaders.forFormat("taobao").read(log, s.input(), rejected -> {});
 *   s.finish(score -> out.println(score.key() + "," + score.value()));
 * }
 * }</pre>
 *
 * <p>Spill files (the binary {@link EventRecords} layout, then scores) live in a fresh folder under
 * the spill directory, are deleted as soon as they are read, and the folder by {@link #close()}.
 *
 * <p>Thread-safety: not thread-safe; one thread feeds and finishes it (scoring itself uses
 * {@link Builder#threads} threads).
 */
public final class PartitionedScorer implements AutoCloseable {
  /** Input bytes per partition {@link #partitionsFor} aims at: about 1.5M Taobao events, ~200 MB of heap. */
  public static final long PARTITION_BYTES = 64L << 20;
  /** Most partitions (open spill files at a time). */
  public static final int MAX_PARTITIONS = 4_096;

  /** Rows a reader adds to the buffer before they are written to the spill files. */
  private static final int BUFFER_ROWS = 1 << 16;
  /** Events between two looks at the column store's size while events are held in memory. */
  private static final int CHECK_EVERY = 1 << 16;
  private static final long NEVER = Long.MAX_VALUE;

  private final FittedPipeline pipeline;
  private final int partitions;
  private final long spillAbove;
  private final int threads;
  private final Progress progress;
  private final Path spillRoot;
  /** Every event while they are held in memory; once spilling, a buffer of the rows not yet written. */
  private EventTable memory = new EventTable();
  /** Whether events go to the spill files (from the first event with a fixed partition count). */
  private boolean spilling;
  private Path dir;
  private DataOutputStream[] spills;
  private long[] counts;
  private long events;
  private boolean finished;

  private PartitionedScorer(Builder b) {
    this.pipeline = b.pipeline;
    this.spillAbove = b.spillAbove;
    this.partitions = b.spillAbove == NEVER ? b.partitions : Math.max(2, b.partitions);
    this.spilling = b.spillAbove == NEVER && b.partitions > 1;
    this.threads = b.threads;
    this.progress = b.progress;
    this.spillRoot = b.spillDirectory;
  }

  /** A scorer for {@code pipeline}: one partition, every core, spills under the system's temporary folder. */
  public static Builder builder(FittedPipeline pipeline) {
    return new Builder(pipeline);
  }

  /**
   * How many partitions keep each near {@link #PARTITION_BYTES} of input: 1 up to 64 MB (nothing
   * spilled), 16 for a 1 GB file, at most {@link #MAX_PARTITIONS}.
   */
  public static int partitionsFor(long inputBytes) {
    if (inputBytes < 0) {
      throw new IllegalArgumentException("input bytes must not be negative: " + inputBytes);
    }
    long n = inputBytes / PARTITION_BYTES + (inputBytes % PARTITION_BYTES == 0 ? 0 : 1);
    return (int) Math.min(MAX_PARTITIONS, Math.max(1, n));
  }

  /** Told after each partition is scored (for progress bars); called on the thread of {@link #finish}. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param done partitions scored so far
     * @param of partitions in all
     * @param sequences sequences scored so far
     */
    void scored(int done, int of, long sequences);
  }

  /** What a run did. */
  public record Summary(long events, long sequences, int partitions, long largestPartition, long spilledBytes) {}

  /**
   * Where a reader should send the events: a {@link io.seqwatch.core.io.ColumnSink}, so readers
   * with a fast path add plain records to the column store without making events (while spilling,
   * to a buffer of {@value #BUFFER_ROWS} rows written out when full); other events go to {@link
   * #accept}. Valid until {@link #finish}.
   */
  public Consumer<BehaviorEvent> input() {
    return new io.seqwatch.core.io.ColumnSink() {
      @Override
      public EventTable table() {
        requireOpen();
        return memory;
      }

      @Override
      public void added() {
        events++;
        afterRow();
      }

      @Override
      public void accept(BehaviorEvent e) {
        PartitionedScorer.this.accept(e);
      }
    };
  }

  /** Takes one event (any order). */
  public void accept(BehaviorEvent e) {
    Objects.requireNonNull(e, "e");
    requireOpen();
    events++;
    if (spilling) {
      write(e);
    } else {
      memory.add(e);
      afterRow();
    }
  }

  private void requireOpen() {
    if (finished) {
      throw new IllegalStateException("this PartitionedScorer has finished; build another for more events");
    }
  }

  /** After a row was added to {@link #memory}: spill when the store passed its bound, write a full buffer. */
  private void afterRow() {
    if (spilling) {
      if (memory.size() >= BUFFER_ROWS) {
        flush();
      }
    } else if ((events & (CHECK_EVERY - 1)) == 0 && spillAbove != NEVER && memory.heapBytes() > spillAbove) {
      spilling = true;
      flush();
    }
  }

  /** Writes the rows held to their partitions' spill files and starts an empty buffer. */
  private void flush() {
    EventTable held = memory;
    memory = new EventTable();
    for (int i = 0; i < held.size(); i++) {
      write(held.event(i));
    }
  }

  private void write(BehaviorEvent e) {
    try {
      if (spills == null) {
        open();
      }
      int k = Hashing.consistentHash(Hashing.murmur3_128().hashUnencodedChars(pipeline.grouping().streamKey(e)),
          partitions);
      EventRecords.write(spills[k], e);
      counts[k]++;
    } catch (IOException x) {
      throw new UncheckedIOException("cannot write the spill file in " + dir + ": " + x.getMessage(), x);
    }
  }

  private void open() throws IOException {
    Files.createDirectories(spillRoot);
    dir = Files.createTempDirectory(spillRoot, ".seqwatch-spill-");
    spills = new DataOutputStream[partitions];
    counts = new long[partitions];
    for (int k = 0; k < partitions; k++) {
      spills[k] = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(events(k)), 1 << 15));
    }
  }

  private Path events(int k) {
    return dir.resolve("events-" + k + ".bin");
  }

  private Path scores(int k) {
    return dir.resolve("scores-" + k + ".bin");
  }

  /**
   * Scores every sequence of the events taken and hands the scores to {@code out} in order of their
   * first event.
   *
   * @throws UncheckedIOException when a spill file cannot be written or read (say, a full disk)
   */
  public Summary finish(Consumer<Score> out) {
    Objects.requireNonNull(out, "out");
    if (finished) {
      throw new IllegalStateException("this PartitionedScorer has finished already");
    }
    finished = true;
    if (spilling && memory.size() > 0) {
      flush();
    }
    if (spills == null) { // held in memory, or none of several partitions received an event
      List<BehaviorSequence> seqs = pipeline.sequences(memory);
      long n = memory.size();
      memory = null; // the sequences keep the table
      pipeline.score(seqs, threads, out);
      progress.scored(1, 1, seqs.size());
      return new Summary(n, seqs.size(), 1, n, 0);
    }
    memory = null;
    try {
      long spilled = 0;
      long largest = 0;
      for (DataOutputStream s : spills) {
        s.close();
      }
      long sequences = 0;
      for (int k = 0; k < partitions; k++) {
        spilled += Files.size(events(k));
        largest = Math.max(largest, counts[k]);
        sequences += scorePartition(k);
        progress.scored(k + 1, partitions, sequences);
      }
      merge(out);
      return new Summary(events, sequences, partitions, largest, spilled);
    } catch (IOException x) {
      throw new UncheckedIOException("cannot score through the spill files in " + dir + ": " + x.getMessage(), x);
    }
  }

  /** Scores partition k's events into its scores file; deletes the events file. */
  private int scorePartition(int k) throws IOException {
    EventTable part = new EventTable();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(events(k)), 1 << 16))) {
      for (long i = 0; i < counts[k]; i++) {
        part.add(EventRecords.read(in));
      }
    }
    Files.delete(events(k));
    io.seqwatch.core.prep.TableSequences seqs = pipeline.sequences(part);
    try (DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(scores(k)), 1 << 15))) {
      int[] i = {0};
      pipeline.score(seqs, threads, score -> {
        int first = seqs.row(i[0]++, 0); // the sequence's first event, from the table
        try {
          w.writeLong(part.time(first));
          w.writeLong(part.line(first));
          writeScore(w, score);
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      });
    } catch (UncheckedIOException x) {
      throw x.getCause();
    }
    return seqs.size();
  }

  /** One partition's next score, with its first event's time and line. */
  private record Head(long time, long line, int partition, Score score) {}

  private static final Comparator<Head> ORDER = Comparator.comparingLong(Head::time).thenComparingLong(Head::line)
      .thenComparingInt(Head::partition);

  private void merge(Consumer<Score> out) throws IOException {
    DataInputStream[] in = new DataInputStream[partitions];
    PriorityQueue<Head> heads = new PriorityQueue<>(ORDER);
    try {
      for (int k = 0; k < partitions; k++) {
        in[k] = new DataInputStream(new BufferedInputStream(Files.newInputStream(scores(k)), 1 << 15));
        next(in[k], k).ifPresent(heads::add);
      }
      while (!heads.isEmpty()) {
        Head h = heads.poll();
        out.accept(h.score());
        next(in[h.partition()], h.partition()).ifPresent(heads::add);
      }
    } finally {
      for (DataInputStream s : in) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  private static java.util.Optional<Head> next(DataInputStream in, int k) throws IOException {
    long time;
    try {
      time = in.readLong();
    } catch (EOFException end) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Head(time, in.readLong(), k, readScore(in)));
  }

  private static void writeScore(DataOutput out, Score s) throws IOException {
    writeText(out, s.key());
    out.writeDouble(s.value());
    out.writeBoolean(s.anomalous());
    List<Contribution> cs = s.explanation().contributions();
    out.writeInt(cs.size());
    for (Contribution c : cs) {
      writeText(out, c.name());
      out.writeDouble(c.value());
      out.writeDouble(c.typical());
      out.writeDouble(c.weight());
      writeText(out, c.reason());
    }
  }

  private static Score readScore(DataInput in) throws IOException {
    String key = readText(in);
    double value = in.readDouble();
    boolean anomalous = in.readBoolean();
    int n = in.readInt();
    List<Contribution> cs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      cs.add(new Contribution(readText(in), in.readDouble(), in.readDouble(), in.readDouble(), readText(in)));
    }
    return new Score(key, value, anomalous, new Explanation(cs));
  }

  /** Length-prefixed UTF-8 (a key or reason may pass the 64 KB of {@code writeUTF}). */
  private static void writeText(DataOutput out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readText(DataInput in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Deletes the spill folder and whatever is left in it. Idempotent. */
  @Override
  public void close() throws IOException {
    finished = true;
    memory = null;
    if (spills != null) {
      for (DataOutputStream s : spills) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing to delete: what it failed to write is not needed
        }
      }
    }
    if (dir != null && Files.exists(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Settings of a {@link PartitionedScorer}; each setter validates at once.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    private final FittedPipeline pipeline;
    private int partitions = 1;
    private long spillAbove = NEVER;
    private int threads = Parallel.allCores();
    private Path spillDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private Progress progress = (done, of, sequences) -> {};

    private Builder(FittedPipeline pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
      if (pipeline.isTable()) {
        throw new io.seqwatch.api.ConfigurationException(
            "this pipeline was fitted on a feature table; PartitionedScorer scores events");
      }
    }

    /** How many partitions (1 to {@value #MAX_PARTITIONS}; 1 holds the events in memory, as {@code scoreEvents}). */
    public Builder partitions(int partitions) {
      if (partitions < 1 || partitions > MAX_PARTITIONS) {
        throw new io.seqwatch.api.ConfigurationException(
            "partitions must be between 1 and " + MAX_PARTITIONS + ": " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    /**
     * Holds the events in memory while their column store takes at most {@code bytes} of heap
     * ({@link EventTable#heapBytes}, looked at every 65,536 events), and only past that spills them
     * and the rest into {@link #partitions} partitions (at least two); without it a partition count
     * above one spills from the first event. Scoring a store needs about as much again (the
     * grouping's row order, the time sort), so {@code Runtime.getRuntime().maxMemory() / 4} keeps
     * within the heap: what {@code seqwatch score} uses.
     */
    public Builder spillAbove(long bytes) {
      if (bytes < 1) {
        throw new io.seqwatch.api.ConfigurationException("the in-memory bound must be positive: " + bytes + " bytes");
      }
      this.spillAbove = bytes;
      return this;
    }

    /** Threads that score each partition; any number gives the scores of one. */
    public Builder threads(int threads) {
      FittedPipeline.requireThreads(threads);
      this.threads = threads;
      return this;
    }

    /** Where the spill folder is made (default: {@code java.io.tmpdir}); it needs about the input's size free. */
    public Builder spillDirectory(Path dir) {
      this.spillDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Told after each partition is scored (default: nobody). */
    public Builder progress(Progress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public PartitionedScorer build() {
      return new PartitionedScorer(this);
    }
  }
}
