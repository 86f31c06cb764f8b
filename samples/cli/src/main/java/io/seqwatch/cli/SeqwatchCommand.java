package io.seqwatch.cli;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.DataFormatException;
import io.seqwatch.api.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code seqwatch} command.
 *
 * <p>Thread-safety: used from the main thread only.
 */
@Command(
    name = "seqwatch",
    mixinStandardHelpOptions = true,
    versionProvider = SeqwatchCommand.Version.class,
    description = "Find anomalous user behaviour sequences (bots, click fraud, brushing, scrapers, "
        + "account takeover, cart abuse).",
    subcommands = {
      DemoCommand.class,
      PluginsCommand.class,
      GenerateCommand.class,
      InjectCommand.class,
      TrainCommand.class,
      PretrainCommand.class,
      EmbedCommand.class,
      ScoreCommand.class,
      EvaluateCommand.class,
      ExportCommand.class,
      StreamCommand.class,
      KeygenCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SeqwatchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Shown in the help; read before picocli parses (see {@link PluginPath}), so it works with every command. */
  @CommandLine.Option(names = "--plugins", paramLabel = "DIR",
      description = "add every jar in DIR to the class path (plugins: detectors, sinks, ...); repeatable, also "
          + PluginPath.ENV + "=DIR1:DIR2")
  java.util.List<java.nio.file.Path> plugins;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command");
  }

  /** Builds the command line with Seqwatch's exit-code mapping. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SeqwatchCommand());
    // bash/zsh completion: source <(./seqwatch completion)
    CommandLine completion = new CommandLine(new picocli.AutoComplete.GenerateCompletion());
    completion.getCommandSpec().usageMessage().hidden(false)
        .description("Print a bash/zsh completion script: source <(seqwatch completion)");
    cl.addSubcommand("completion", completion);
    for (CommandLine sub : cl.getSubcommands().values()) { // every command answers --version
      sub.getCommandSpec().versionProvider(new Version());
    }
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      int code = exitCode(e);
      err.println("seqwatch: " + message(e));
      err.flush();
      return code;
    });
    return cl;
  }

  static int exitCode(Throwable e) {
    if (outOfMemory(e)) {
      return ExitCodes.DATA;
    }
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof ModelFormatException) {
      return ExitCodes.MODEL;
    }
    if (e instanceof DataFormatException || e instanceof NoSuchFileException
        || e instanceof UncheckedIOException) {
      return ExitCodes.DATA;
    }
    if (e instanceof ConfigurationException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  static String message(Throwable e) {
    if (outOfMemory(e)) {
      return outOfMemoryHint();
    }
    if (e instanceof NoSuchFileException n) {
      return "file not found: " + n.getFile();
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return "I/O error: " + e.getMessage();
    }
    if (e instanceof io.seqwatch.api.SeqwatchException || e instanceof CliException) {
      return e.getMessage();
    }
    return e.toString();
  }

  static boolean outOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  /** What to do when the data did not fit the heap. */
  static String outOfMemoryHint() {
    return String.format(java.util.Locale.ROOT, "out of memory: the data held in memory did not fit the Java heap "
        + "(%,d MB). Give it more with SEQWATCH_JAVA_OPTS=-Xmx<size>, e.g. SEQWATCH_JAVA_OPTS=-Xmx%dg ./seqwatch ..., "
        + "or hold less: train --sample 0.25 trains on a quarter of the actors (each kept whole); seqwatch stream "
        + "scores a log of any size holding only its open sequences (at most --max-actors)",
        Runtime.getRuntime().maxMemory() >> 20,
        Math.max(2, 2 * ((Runtime.getRuntime().maxMemory() >> 30) + 1)));
  }

  public static void main(String[] args) {
    int code;
    try {
      PluginPath.Split split = PluginPath.split(args, System.getenv());
      ClassLoader loader = PluginPath.loader(PluginPath.jars(split.folders()),
          SeqwatchCommand.class.getClassLoader());
      Thread.currentThread().setContextClassLoader(loader); // the registries discover with it
      code = commandLine().execute(split.args().toArray(String[]::new));
    } catch (CliException e) {
      System.err.println("seqwatch: " + e.getMessage());
      code = e.exitCode();
    } catch (OutOfMemoryError e) {
      System.err.println("seqwatch: " + outOfMemoryHint());
      code = ExitCodes.DATA;
    }
    System.exit(code);
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"seqwatch " + io.seqwatch.core.pipeline.FittedPipeline.version()};
    }
  }
}
