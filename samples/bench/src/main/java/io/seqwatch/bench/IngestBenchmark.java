package io.seqwatch.bench;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.features.BehaviorFeatureExtractor;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.prep.EventTable;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.prep.TableSequences;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Ingest speed on one core, stage by stage, on a Taobao-format file: a plain Java split + parse +
 * group loop (the parse limit a reader is measured against), Seqwatch's reader alone (events as
 * objects, then into the column store {@code train} and {@code score} hold), + cleaning (duplicates
 * dropped, time order), + grouping into sequences (rows sorted by sequence), + behaviour features of
 * every sequence read from the columns, as {@code train} and {@code score} compute them. Stages
 * alternate within each round (so a change of the machine's load hits all alike); medians of the
 * rounds in events per second.
 *
 * <p>Usage: {@code IngestBenchmark <taobao file> [rounds]}. Thread-safety: a program.
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Map<String, ToLongFunction<Path>> stages = new LinkedHashMap<>();
    stages.put("plain Java split + parse + group (baseline)", IngestBenchmark::plainLoop);
    stages.put("reader (events as objects)", f -> read(f).size());
    stages.put("reader into the column store", f -> table(f).size());
    stages.put("column store + clean (dedup, time order)", f -> Preprocessor.standard().order(table(f), r -> { }).length);
    stages.put("column store + clean + group", f -> {
      EventTable t = table(f);
      TableSequences seqs = Grouping.byActor().group(t, Preprocessor.standard().order(t, r -> { }));
      long n = 0;
      for (int i = 0; i < seqs.size(); i++) {
        n += seqs.rowCount(i);
      }
      return n;
    });
    BehaviorFeatureExtractor fx = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    stages.put("column store + clean + group + features", f -> { // as train and score: from the columns
      EventTable t = table(f);
      TableSequences seqs = Grouping.byActor().group(t, Preprocessor.standard().order(t, r -> { }));
      long n = 0;
      double sum = 0;
      for (int i = 0; i < seqs.size(); i++) {
        sum += fx.extract(seqs, i).get(0);
        n += seqs.rowCount(i);
      }
      return sum > Double.MIN_VALUE || sum <= Double.MIN_VALUE ? n : -1;
    });
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    long events = 0;
    for (int r = 0; r <= rounds; r++) { // round 0 warms up the JIT
      for (Map.Entry<String, ToLongFunction<Path>> s : stages.entrySet()) {
        long t0 = System.nanoTime();
        long n = s.getValue().applyAsLong(file);
        double sec = (System.nanoTime() - t0) / 1e9;
        events = n;
        if (r > 0) {
          rates.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(n / sec);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%s: %,d events, %d rounds, 1 thread, load %s%n", file.getFileName(), events,
        rounds, Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println("| stage | events/s (median) | min-max |");
    System.out.println("|---|---|---|");
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      Collections.sort(v);
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f-%,.0f |%n", e.getKey(), v.get(v.size() / 2), v.get(0),
          v.get(v.size() - 1));
    }
  }

  private static List<BehaviorEvent> read(Path f) {
    List<BehaviorEvent> events = new ArrayList<>();
    try {
      EventReaders.forFormat("taobao").read(f, events::add, r -> { });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return events;
  }

  private static EventTable table(Path f) {
    EventTable t = new EventTable();
    try {
      EventReaders.forFormat("taobao").read(f, t, r -> { });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return t;
  }

  /** What a hand-written loop does: split on commas, parse the numbers, group rows by user. */
  private static long plainLoop(Path f) {
    record Row(String item, String category, String action, long time) {}
    Map<String, List<Row>> byUser = new HashMap<>();
    long n = 0;
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] p = line.split(",");
        if (p.length != 5) {
          continue;
        }
        byUser.computeIfAbsent(p[0], k -> new ArrayList<>()).add(new Row(p[1], p[2], p[3], Long.parseLong(p[4])));
        n++;
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return n;
  }
}
