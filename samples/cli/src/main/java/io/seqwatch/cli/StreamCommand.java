package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.stream.StreamStats;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.Options;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch stream}: reads an event file as a stream (in file order, memory bounded by the
 * scorer's state, not by the file) through the {@link StreamingScorer}, writes alerts as JSON lines,
 * and prints events per second and per-event latency.
 *
 * <p>With {@code --snapshot DIR} the scorer's state is written to {@code DIR/stream.snapshot} at the
 * end, every {@code --snapshot-every} events or seconds, and when the process is asked to stop
 * (SIGTERM, Ctrl-C); the snapshot records the input file and the last line it covers, so the same
 * command run again resumes after that line (another file starts at its beginning). Alerts carry
 * deterministic ids: a resume after a kill -9 raises again only the alerts since the last snapshot,
 * with the same ids (at least once; consumers drop repeats by id). With a pseudonymisation key the
 * actor and session ids are replaced by their HMACs as events are read, so the scorer's state, the
 * snapshots and every sink hold only pseudonyms.
 *
 * <p>Thread-safety: main thread only (the shutdown hook only asks it to stop and waits).
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = "Stream an event file through the streaming scorer; write alerts as JSON lines; snapshot to resume.")
final class StreamCommand implements Callable<Integer> {
  /** Latencies kept for the percentiles (a uniform sample beyond this). */
  private static final int LATENCY_SAMPLE = 100_000;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M", description = "model bundle folder or .zip")
  Path model;

  @Mixin InputOptions input;

  @Mixin HmacKeyOptions hmac;

  @Mixin SigningKeyOptions signing;

  @Option(names = "--alerts", required = true, paramLabel = "FILE", description = "alerts JSON lines file to append to")
  Path alerts;

  @Option(names = "--snapshot", paramLabel = "DIR",
      description = "resume from DIR/stream.snapshot when present; write it at the end, every --snapshot-every and on "
          + "SIGTERM")
  Path snapshot;

  @Option(names = "--snapshot-every", paramLabel = "N|DURATION",
      description = "also snapshot every N events (e.g. 100000) or every DURATION of wall time (e.g. 30s, 5m)")
  String snapshotEvery;

  @Option(names = "--max-actors", defaultValue = "1000000", description = "most sequences held (default ${DEFAULT-VALUE})")
  int maxActors;

  @Option(names = "--idle-ttl", defaultValue = "24h", description = "drop sequences idle this long, event time (default ${DEFAULT-VALUE}; 0 = never)")
  String idleTtl;

  @Option(names = "--lateness", defaultValue = "0s",
      description = "how far out of time order events may come, per sequence (default ${DEFAULT-VALUE})")
  String lateness;

  @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
      description = "offer events N at a time (acceptAll, as a poll loop would): next-action models then step many "
          + "sequences per forward pass; latency is then per batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--sink", paramLabel = "NAME",
      description = "also send alerts to this sink (webhook, kafka, log, ...; see 'seqwatch plugins')")
  String extraSink;

  @Option(names = "--sink-option", paramLabel = "KEY=VALUE", description = "an option of --sink, e.g. url=https://...")
  Map<String, String> sinkOptions = new LinkedHashMap<>();

  @Option(names = "--json", description = "print the summary as one JSON object on stdout (for scripts)")
  boolean json;

  @Option(names = "--sink-options-file", paramLabel = "FILE",
      description = "options of --sink as KEY=VALUE lines (Java properties), for settings that hold secrets, "
          + "e.g. producer.sasl.jaas.config; --sink-option wins on the same key")
  java.nio.file.Path sinkOptionsFile;

  /** Thrown from the reader's callback to stop reading at a line boundary. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (batch < 1) {
      throw new CliException(ExitCodes.USAGE, "--batch must be at least 1: " + batch);
    }
    long everyEvents = 0;
    long everyNanos = 0;
    if (snapshotEvery != null) {
      if (snapshot == null) {
        throw new CliException(ExitCodes.USAGE, "--snapshot-every needs --snapshot DIR");
      }
      if (snapshotEvery.chars().allMatch(Character::isDigit)) {
        everyEvents = Long.parseLong(snapshotEvery);
      } else {
        everyNanos = duration(snapshotEvery).toNanos();
      }
      if (everyEvents <= 0 && everyNanos <= 0) {
        throw new CliException(ExitCodes.USAGE, "--snapshot-every must be a positive count or duration: " + snapshotEvery);
      }
    }
    String key = hmac.key();
    input.withholdRawRejects(!key.isEmpty()); // the raw lines hold the ids the alerts pseudonymise
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    // snapshots are signed: with --snapshot the key must be able to sign (a public key only verifies)
    java.util.Optional<io.seqwatch.core.pipeline.SigningKey> signingKey = snapshot != null ? signing.signer() : signing.key();
    try (FittedPipeline p = ScoreCommand.load(model, signingKey)) {
      AlertSink sink = sinks();
      StreamingScorer.Builder builder = StreamingScorer.builder(p).maxActors(maxActors).idleTtl(duration(idleTtl))
          .lateness(duration(lateness)).sink(sink);
      signingKey.ifPresent(builder::signingKey);
      try (StreamingScorer scorer = builder.build()) {
        Path snap = snapshot == null ? null : snapshot.resolve("stream.snapshot");
        String source = input.input.toAbsolutePath().normalize().toString();
        long skip = 0;
        if (snap != null && Files.isRegularFile(snap)) {
          Map<String, String> at;
          try {
            at = scorer.restore(snap);
          } catch (io.seqwatch.api.ModelFormatException e) {
            throw new CliException(ExitCodes.MODEL, e.getMessage(), e);
          }
          if (source.equals(at.get("input"))) {
            skip = Long.parseLong(at.getOrDefault("line", "0"));
            err.printf(Locale.ROOT, "resumed from %s: %s was read through line %,d%n", snap, input.input, skip);
          } else {
            err.printf(Locale.ROOT, "resumed from %s%n", snap);
          }
        }
        Replay r = new Replay(scorer, snap, source, everyEvents, everyNanos, err, closed);
        Thread hook = new Thread(r::requestStop, "seqwatch-stream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean stopped = false;
        try {
          java.util.function.Consumer<BehaviorEvent> offer = r::offer;
          if (!key.isEmpty()) { // pseudonymised at the door: state, snapshots and alerts only ever see the HMACs
            io.seqwatch.spi.support.AlertJson ids = new io.seqwatch.spi.support.AlertJson(key);
            offer = e -> r.offer(new BehaviorEvent(ids.key(e.actorId()), e.sessionId().map(ids::key),
                e.timestampMillis(), e.action(), e.type(), e.itemId(), e.categoryId(), e.price(), e.line(),
                pseudonymised(ids, e.attributes())));
          }
          input.forEach(input.input, Path.of(alerts + ".rejected.csv"), err, skip, offer);
          r.endOfInput();
        } catch (Stop s) {
          stopped = true;
        } finally {
          r.finished();
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits until the sinks are closed below
          }
        }
        StreamStats st = scorer.stats();
        long[] latency = r.latencies();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("command", "stream");
          m.put("detector", p.provenance().detector());
          m.put("read", input.readJson());
          m.put("events", st.events());
          m.put("scored", st.scored());
          m.put("late", st.late());
          m.put("duplicates", st.duplicates());
          m.put("future", st.future());
          m.put("buffered", st.buffered());
          m.put("alerts", st.alerts());
          m.put("sequences", st.sequences());
          m.put("evicted", st.evicted());
          m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
          m.put("latency_p50_ms", pct(latency, 0.50));
          m.put("latency_p99_ms", pct(latency, 0.99));
          m.put("alerts_file", alerts.toString());
          m.put("last_line", r.lastLine);
          m.put("stopped_on_request", stopped);
          if (snap != null) {
            m.put("snapshot", snap.toString());
          }
          out.println(JsonSummary.write(m));
          out.flush();
          return ExitCodes.OK;
        }
        out.printf(Locale.ROOT, "streamed %,d events with %s (%s state) in %.2f s: %,.0f events/s; %s latency "
            + "p50 %.3f ms, p99 %.3f ms%n", st.events(), p.provenance().detector(), scorer.stateKind(), r.seconds(),
            st.events() / Math.max(r.seconds(), 1e-9), batch == 1 ? "per-event" : String.format(Locale.ROOT,
                "per-batch (%,d events)", batch), pct(latency, 0.50), pct(latency, 0.99));
        out.printf(Locale.ROOT, "scored %,d, late %,d, duplicates %,d, future %,d, buffered %,d; %,d alerts to %s; "
            + "%,d sequences held (~%,d bytes each), %,d evicted%s%n", st.scored(), st.late(), st.duplicates(),
            st.future(), st.buffered(), st.alerts(), alerts, st.sequences(), st.bytesPerSequence(), st.evicted(),
            snap == null ? "" : String.format(Locale.ROOT, "; snapshot %s through line %,d (%,d written)", snap,
                r.lastLine, r.snapshots));
        if (stopped) {
          out.printf(Locale.ROOT, "stopped on request at line %,d%s%n", r.lastLine,
              snap == null ? " (no --snapshot: the state is not kept)" : "; the same command resumes after it");
        }
        out.flush();
      }
    } finally {
      closed.countDown(); // the scorer, its sinks and the pipeline are closed: a waiting shutdown hook may let the JVM go
    }
    return ExitCodes.OK;
  }

  /** The alert sinks: jsonl to --alerts, and --sink if given. */
  private AlertSink sinks() {
    AlertSinkProvider jsonl = Registries.discover().sinks().find("jsonl");
    Map<String, String> jsonlOptions = new LinkedHashMap<>();
    jsonlOptions.put("path", alerts.toString());
    AlertSink sink = jsonl.create(Options.of(jsonl.options(), jsonlOptions));
    if (extraSink != null) {
      AlertSinkProvider extra = Registries.discover().sinks().find(extraSink);
      Map<String, String> eo = new LinkedHashMap<>();
      if (sinkOptionsFile != null) {
        java.util.Properties props = new java.util.Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(sinkOptionsFile,
            java.nio.charset.StandardCharsets.UTF_8)) {
          props.load(r);
        } catch (java.io.IOException e) {
          throw new CliException(ExitCodes.USAGE, "cannot read --sink-options-file " + sinkOptionsFile + ": "
              + e.getMessage(), e);
        }
        props.stringPropertyNames().stream().sorted().forEach(k -> eo.put(k, props.getProperty(k)));
      }
      eo.putAll(this.sinkOptions);
      if (eo.containsKey("hmac-key")) {
        throw new CliException(ExitCodes.USAGE, "--sink-option hmac-key puts the key on the command line: use "
            + "--hmac-key-file FILE or " + HmacKeyOptions.ENV + " (it applies to every sink)");
      }
      sink = io.seqwatch.core.sink.FanOutSink.of(java.util.List.of(sink, extra.create(Options.of(extra.options(), eo))));
    } else if (!this.sinkOptions.isEmpty() || sinkOptionsFile != null) {
      throw new CliException(ExitCodes.USAGE, "--sink-option and --sink-options-file need --sink NAME");
    }
    return sink;
  }

  /**
   * One run over the input: offers events (one at a time or in batches), snapshots at line
   * boundaries when due, and stops at one when asked. Main thread, except {@link #requestStop}.
   */
  private final class Replay {
    private final StreamingScorer scorer;
    private final Path snap;
    private final String source;
    private final long everyEvents;
    private final long everyNanos;
    private final PrintWriter err;
    private final List<BehaviorEvent> pending = new ArrayList<>();
    private final long[] latency = new long[LATENCY_SAMPLE];
    private final java.util.SplittableRandom sampler = new java.util.SplittableRandom(1);
    private final long start = System.nanoTime();
    private final java.util.concurrent.CountDownLatch closed;
    private volatile boolean stop;
    private long offers;
    private long offered;
    private long sinceSnapshot;
    private long lastSnapshotNanos = System.nanoTime();
    private long end;
    long lastLine;
    long snapshots;

    Replay(StreamingScorer scorer, Path snap, String source, long everyEvents, long everyNanos, PrintWriter err,
        java.util.concurrent.CountDownLatch closed) {
      this.closed = closed;
      this.scorer = scorer;
      this.snap = snap;
      this.source = source;
      this.everyEvents = everyEvents;
      this.everyNanos = everyNanos;
      this.err = err;
    }

    void offer(BehaviorEvent e) {
      if (e.line() != lastLine && lastLine > 0) { // a line boundary: everything through lastLine is in hand
        if (stop) {
          drain();
          if (snap == null) {
            scorer.flush();
          } else {
            snapshot();
          }
          throw new Stop();
        }
        if ((everyEvents > 0 && sinceSnapshot >= everyEvents)
            || (everyNanos > 0 && System.nanoTime() - lastSnapshotNanos >= everyNanos)) {
          drain();
          snapshot();
        }
      }
      lastLine = e.line();
      pending.add(e);
      sinceSnapshot++;
      if (pending.size() >= batch) {
        drain();
      }
    }

    /** Offers what is pending. */
    private void drain() {
      if (pending.isEmpty()) {
        return;
      }
      long a = System.nanoTime();
      if (pending.size() == 1) {
        scorer.accept(pending.get(0));
      } else {
        scorer.acceptAll(pending);
      }
      record(System.nanoTime() - a);
      offered += pending.size();
      pending.clear();
    }

    /** Keeps a uniform sample of the latencies (reservoir sampling, fixed seed). */
    private void record(long nanos) {
      if (offers < latency.length) {
        latency[(int) offers] = nanos;
      } else {
        long j = sampler.nextLong(offers + 1);
        if (j < latency.length) {
          latency[(int) j] = nanos;
        }
      }
      offers++;
    }

    private void snapshot() {
      if (snap == null) {
        return;
      }
      try {
        scorer.snapshot(snap, Map.of("input", source, "line", Long.toString(lastLine)));
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException("cannot write the snapshot " + snap, ex);
      }
      snapshots++;
      sinceSnapshot = 0;
      lastSnapshotNanos = System.nanoTime();
    }

    void endOfInput() {
      drain();
      end = System.nanoTime();
      if (snap == null) {
        scorer.flush(); // end of the stream; with a snapshot, buffered events wait for the next run
      } else {
        snapshot();
      }
    }

    /** Called on the main thread when the run is over, normally or not. */
    void finished() {
      if (end == 0) {
        end = System.nanoTime();
      }
    }

    /**
     * From the shutdown hook: asks the main thread to stop at the next line, snapshot and close the
     * sinks, and waits for that (at most a minute) before the JVM may exit.
     */
    void requestStop() {
      stop = true;
      err.printf(Locale.ROOT, "stopping at the next line%s...%n", snap == null ? "" : " and writing the snapshot");
      err.flush();
      try {
        closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }

    double seconds() {
      return (end - start) / 1e9;
    }

    long[] latencies() {
      long[] l = java.util.Arrays.copyOf(latency, (int) Math.min(offers, latency.length));
      java.util.Arrays.sort(l);
      return l;
    }
  }

  /** Sends to both sinks; closes both. */
  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  /** A duration option ({@link io.seqwatch.core.prep.DurationSpec}); a bad one is a usage error. */
  static Duration duration(String s) {
    try {
      return io.seqwatch.core.prep.DurationSpec.parse(s);
    } catch (io.seqwatch.api.ConfigurationException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /**
   * The attributes that identify a person (device and IP address) replaced by their HMACs; an IP
   * keeps its network part apart ({@code HMAC(network).HMAC(address)}), so per-subnet features still
   * group addresses of one network.
   */
  static io.seqwatch.api.Attributes pseudonymised(io.seqwatch.spi.support.AlertJson ids, io.seqwatch.api.Attributes a) {
    if (!a.has(io.seqwatch.api.Attributes.DEVICE) && !a.has(io.seqwatch.api.Attributes.IP)) {
      return a;
    }
    io.seqwatch.api.Attributes.Builder b = io.seqwatch.api.Attributes.builder();
    a.string(io.seqwatch.api.Attributes.DEVICE).ifPresent(d -> b.categorical(io.seqwatch.api.Attributes.DEVICE, ids.key(d)));
    a.string(io.seqwatch.api.Attributes.IP).ifPresent(ip -> {
      int cut = Math.max(ip.lastIndexOf('.'), ip.lastIndexOf(':'));
      b.categorical(io.seqwatch.api.Attributes.IP, (cut > 0 ? ids.key(ip.substring(0, cut)) + "." : "") + ids.key(ip));
    });
    return a.with(b.build());
  }
}
