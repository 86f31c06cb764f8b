package io.seqwatch.cli;

import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.registry.Registry;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code seqwatch plugins}: every provider found, by kind, with module, version and options.
 *
 * <p>Thread-safety: main thread only.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "List providers: kind, name, module, version, options.")
final class PluginsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Registries r = Registries.discover();
    // each option as it is given on the command line
    print(out, "detector", r.detectors(), "--set ");
    print(out, "features", r.featureExtractors(), "--encode ");
    print(out, "encoder", r.encoders(), "--encode ");
    print(out, "threshold", r.thresholds(), null); // a spec: name, then the first option's value
    print(out, "sink", r.sinks(), "--sink-option ");
    for (Registry<?> reg : List.of(r.detectors(), r.featureExtractors(), r.encoders(), r.thresholds(), r.sinks())) {
      for (String p : reg.problems()) {
        spec.commandLine().getErr().println("warning: " + p);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static <P extends Provider> void print(PrintWriter out, String kind, Registry<P> reg, String flag) {
    for (P p : reg.allVariants()) {
      String input = p instanceof DetectorProvider d ? " [" + d.input().name().toLowerCase(Locale.ROOT)
          + (d.engine().equals(DetectorProvider.JVM) ? "" : ", engine " + d.engine()) + (d.canTrain() ? "" : ", scores only")
          + (d.canTrain() ? ", threshold " + d.defaultThreshold() : "") + "]" : "";
      out.printf(Locale.ROOT, "%-10s %-18s %-32s %-8s %s%s%n", kind, p.name(), module(p), p.version(),
          p.description(), input);
      for (int i = 0; i < p.options().size(); i++) {
        OptionSpec o = p.options().get(i);
        String given = o.isPrefix() ? (flag != null ? flag : "") + o.name() + "<setting>=<value>"
            : flag != null ? flag + o.name() + "=" + o.defaultValue()
            : i == 0 ? "--threshold " + p.name() + ":" + o.defaultValue() + " (" + o.name() + ")"
            : o.name() + "=" + o.defaultValue() + " (library only)";
        out.printf(Locale.ROOT, "%-10s %-18s   %s (%s) %s%n", "", "", given, o.type().name().toLowerCase(Locale.ROOT),
            o.description());
      }
    }
  }

  private static String module(Provider p) {
    String loc = Registry.location(p.getClass());
    try {
      Path f = Path.of(java.net.URI.create(loc)).getFileName();
      String name = f == null ? loc : f.toString();
      if (name.equals("classes")) {
        Path module = Path.of(java.net.URI.create(loc)).getParent().getParent().getFileName();
        return module == null ? loc : module.toString();
      }
      return name.replaceAll("-\\d.*\\.jar$", "").replaceAll("\\.jar$", "");
    } catch (RuntimeException e) {
      return loc;
    }
  }
}
