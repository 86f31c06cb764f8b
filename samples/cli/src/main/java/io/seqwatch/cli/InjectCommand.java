package io.seqwatch.cli;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.inject.AttackKind;
import io.seqwatch.core.inject.Injector;
import io.seqwatch.core.io.EventWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch inject}: grafts labelled attacks into a real log; writes the log with the attacks
 * (the real records verbatim, in time order) and {@code labels.csv}.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "inject", mixinStandardHelpOptions = true,
    description = "Graft labelled attacks (click bots, scrapers, brushing, cart abuse, account takeover, replayed "
        + "sessions, credential stuffing) into your own log, to measure a detector on your traffic.")
final class InjectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin InputOptions input;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output folder: events.csv (the input's format; events.jsonl with --signals) and labels.csv "
          + "(key,label,kind by actor)")
  Path out;

  @Option(names = "--rate", defaultValue = "0.05", description = "share of actors that are attackers (default ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--kinds", split = ",", paramLabel = "KIND",
      description = "attack kinds (default: all the log can express): click_bot, scraper, brushing, cart_abuse, "
          + "account_takeover, replayed_session, credential_stuffing")
  List<String> kinds = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--signals", description = "also give real actors and attackers device, ip and user_agent "
      + "attributes (device farms, rotating proxies, headless and script user agents); writes events.jsonl")
  boolean signals;

  @Option(names = "--lengths-like-log", description = "cut each attacker to the length of a real sequence drawn from "
      + "the log (per session where it has sessions; at least 2 events), so that length alone does not tell attackers "
      + "apart; by default each kind has its own length (15-600 events)")
  boolean lengthsLikeLog;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    EventWriter writer = EventWriter.forFormat(signals ? "jsonl" : input.format);
    Set<AttackKind> chosen = EnumSet.noneOf(AttackKind.class);
    kinds.forEach(k -> chosen.add(AttackKind.parse(k)));
    Injector injector = Injector.builder().rate(rate).seed(seed).kinds(chosen).signals(signals)
        .lengthsLikeLog(lengthsLikeLog).build();
    Files.createDirectories(out);
    List<BehaviorEvent> real = input.read(input.input, out.resolve("rejected.csv"), err);
    Injector.Injected inj = injector.inject(real);
    if (signals) { // every event rewritten as JSON lines, with its attributes
      List<BehaviorEvent> all = inj.merged(real);
      Path events = out.resolve("events.jsonl");
      writer.write(events, all.stream().map(writer::line)::iterator);
      inj.labels().write(out.resolve("labels.csv"));
      return written(events, real.size(), inj);
    }
    // the real records as they were (by line number), the attacks formatted, all in time order
    List<String> lines = Files.readAllLines(input.input, StandardCharsets.UTF_8);
    record Row(long time, long order, String text) {}
    List<Row> rows = new ArrayList<>(real.size() + inj.attacks().size());
    long lastLine = -1;
    for (BehaviorEvent e : real) {
      if (e.line() != lastLine) { // a record that produced several events is written once
        String text = lines.get((int) e.line() - 1);
        rows.add(new Row(e.timestampMillis(), e.line(), text.startsWith("\uFEFF") ? text.substring(1) : text));
        lastLine = e.line();
      }
    }
    for (BehaviorEvent e : inj.attacks()) {
      rows.add(new Row(e.timestampMillis(), Long.MAX_VALUE, writer.line(e)));
    }
    rows.sort(Comparator.comparingLong(Row::time).thenComparingLong(Row::order));
    Path events = out.resolve("events.csv");
    writer.write(events, rows.stream().map(Row::text)::iterator);
    inj.labels().write(out.resolve("labels.csv"));
    return written(events, real.size(), inj);
  }

  private int written(Path events, int real, Injector.Injected inj) {
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "wrote %s: %,d real events and %,d attack events; %s: %,d actors, %,d attackers (%s)%n",
        events, real, inj.attacks().size(), out.resolve("labels.csv"), inj.labels().size(), inj.attackers(),
        inj.countsText());
    if (!inj.skipped().isEmpty()) {
      o.printf("not injected (the log has no cart and purchase actions, or no actor with enough history): %s%n",
          inj.skippedText());
    }
    o.flush();
    return ExitCodes.OK;
  }
}
