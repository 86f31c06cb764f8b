package io.seqwatch.cli;

import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch generate}: simulated Taobao-format events with labelled anomalous users.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write simulated events.csv (Taobao format) and labels.csv (key,label,kind).")
final class GenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(names = "--users", defaultValue = "1000", description = "number of users (default ${DEFAULT-VALUE})")
  int users;

  @Option(names = "--anomaly-rate", defaultValue = "0.05", description = "share of anomalous users (default ${DEFAULT-VALUE})")
  double anomalyRate;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--signals", description = "also device, ip and user_agent attributes and search queries "
      + "(bots fire queries within a second, people type them); writes events.jsonl (train with --format jsonl)")
  boolean signals;

  @Override
  public Integer call() throws IOException {
    SimulatedData d = Simulator.builder().users(users).anomalyRate(anomalyRate).seed(seed).signals(signals).build()
        .generate();
    Path written = d.write(out);
    long anomalous = d.labels().asMap().values().stream().filter(b -> b).count();
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %,d events of %,d users (%,d anomalous) and %s%n",
        written, d.events().size(), users, anomalous, out.resolve("labels.csv"));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
