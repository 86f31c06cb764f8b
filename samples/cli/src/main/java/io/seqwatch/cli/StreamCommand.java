package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.prep.Preprocessor;
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
import java.util.Arrays;
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
 * {@code seqwatch stream}: replays an event file in time order through the {@link StreamingScorer},
 * writes alerts as JSON lines, and prints events per second and per-event latency.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = "Replay an event file in time order through the streaming scorer; write alerts as JSON lines.")
final class StreamCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M", description = "model bundle folder or .zip")
  Path model;

  @Mixin InputOptions input;

  @Option(names = "--alerts", required = true, paramLabel = "FILE", description = "alerts JSON lines file to append to")
  Path alerts;

  @Option(names = "--snapshot", paramLabel = "DIR",
      description = "resume from DIR/stream.snapshot when present, and write it at the end")
  Path snapshot;

  @Option(names = "--max-actors", defaultValue = "1000000", description = "most sequences held (default ${DEFAULT-VALUE})")
  int maxActors;

  @Option(names = "--idle-ttl", defaultValue = "24h", description = "drop sequences idle this long, event time (default ${DEFAULT-VALUE}; 0 = never)")
  String idleTtl;

  @Option(names = "--lateness", defaultValue = "0s", description = "how far out of order events may come (default ${DEFAULT-VALUE})")
  String lateness;

  @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
      description = "offer events N at a time (acceptAll, as a poll loop would): next-action models then step many "
          + "sequences per forward pass; latency is then per batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--hmac-key", defaultValue = "", description = "pseudonymise actor ids in alerts with HMAC-SHA256")
  String hmacKey;

  @Option(names = "--sink", paramLabel = "NAME",
      description = "also send alerts to this sink (webhook, kafka, log, ...; see 'seqwatch plugins')")
  String extraSink;

  @Option(names = "--sink-option", paramLabel = "KEY=VALUE", description = "an option of --sink, e.g. url=https://...")
  Map<String, String> sinkOptions = new LinkedHashMap<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (FittedPipeline p = ScoreCommand.load(model)) {
      List<BehaviorEvent> events = Preprocessor.keepDuplicates().apply(
          input.read(input.input, Path.of(alerts + ".rejected.csv"), err)); // a replay in time order
      AlertSinkProvider jsonl = Registries.discover().sinks().find("jsonl");
      Map<String, String> jsonlOptions = new LinkedHashMap<>();
      jsonlOptions.put("path", alerts.toString());
      jsonlOptions.put("hmac-key", hmacKey);
      AlertSink sink = jsonl.create(Options.of(jsonl.options(), jsonlOptions));
      if (extraSink != null) {
        AlertSinkProvider extra = Registries.discover().sinks().find(extraSink);
        Map<String, String> eo = new LinkedHashMap<>(this.sinkOptions);
        if (!hmacKey.isEmpty() && extra.options().stream().anyMatch(o -> o.name().equals("hmac-key"))) {
          eo.putIfAbsent("hmac-key", hmacKey);
        }
        sink = both(sink, extra.create(Options.of(extra.options(), eo)));
      } else if (!this.sinkOptions.isEmpty()) {
        throw new CliException(ExitCodes.USAGE, "--sink-option needs --sink NAME");
      }
      try (StreamingScorer scorer = StreamingScorer.builder(p).maxActors(maxActors).idleTtl(duration(idleTtl))
          .lateness(duration(lateness)).sink(sink).build()) {
        Path snap = snapshot == null ? null : snapshot.resolve("stream.snapshot");
        if (snap != null && Files.isRegularFile(snap)) {
          try {
            scorer.restore(snap);
          } catch (io.seqwatch.api.ModelFormatException e) {
            throw new CliException(ExitCodes.MODEL, e.getMessage(), e);
          }
          err.printf(Locale.ROOT, "resumed from %s%n", snap);
        }
        if (batch < 1) {
          throw new CliException(ExitCodes.USAGE, "--batch must be at least 1: " + batch);
        }
        long[] latency = new long[(events.size() + batch - 1) / batch];
        long t0 = System.nanoTime();
        for (int i = 0; i < latency.length; i++) {
          long a = System.nanoTime();
          if (batch == 1) {
            scorer.accept(events.get(i));
          } else {
            scorer.acceptAll(events.subList(i * batch, Math.min(events.size(), (i + 1) * batch)));
          }
          latency[i] = System.nanoTime() - a;
        }
        if (snap == null) {
          scorer.flush(); // end of the replay; with a snapshot, buffered events wait for the next run
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (snap != null) {
          scorer.snapshot(snap);
        }
        Arrays.sort(latency);
        StreamStats st = scorer.stats();
        out.printf(Locale.ROOT, "streamed %,d events with %s (%s state) in %.2f s: %,.0f events/s; %s latency "
            + "p50 %.3f ms, p99 %.3f ms%n", st.events(), p.provenance().detector(), scorer.stateKind(), seconds,
            st.events() / Math.max(seconds, 1e-9), batch == 1 ? "per-event" : String.format(Locale.ROOT,
                "per-batch (%,d events)", batch), pct(latency, 0.50), pct(latency, 0.99));
        out.printf(Locale.ROOT, "scored %,d, late %,d, duplicates %,d; %,d alerts to %s; %,d sequences held "
            + "(~%,d bytes each), %,d evicted%s%n", st.scored(), st.late(), st.duplicates(), st.alerts(), alerts,
            st.sequences(), st.bytesPerSequence(), st.evicted(), snap == null ? "" : "; snapshot " + snap);
        out.flush();
      }
    }
    return ExitCodes.OK;
  }

  /** Sends to both sinks; closes both. */
  private static AlertSink both(AlertSink a, AlertSink b) {
    return new AlertSink() {
      @Override
      public void send(io.seqwatch.spi.Alert alert) {
        a.send(alert);
        b.send(alert);
      }

      @Override
      public void close() {
        try {
          b.close();
        } finally {
          a.close();
        }
      }
    };
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  /** {@code 30s}, {@code 5m}, {@code 24h} or {@code 0}. */
  static Duration duration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    try {
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException(v);
      };
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.USAGE, "'" + s + "' is not a duration such as 30s, 5m or 24h");
    }
  }
}
