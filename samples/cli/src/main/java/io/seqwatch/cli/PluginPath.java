package io.seqwatch.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Plugin jars added to the command's class path: {@code --plugins DIR} (repeatable, anywhere on the
 * command line) and {@code SEQWATCH_PLUGINS} (folders separated by {@code :}). Every {@code .jar} in
 * such a folder joins the class path, so its {@code META-INF/services} providers (detectors, sinks,
 * threshold policies, ...) are found like the built-in ones, as a vendor's plugin would be.
 *
 * <p>Thread-safety: static helpers, main thread only.
 */
final class PluginPath {
  /** The environment variable naming plugin folders. */
  static final String ENV = "SEQWATCH_PLUGINS";

  private PluginPath() {}

  /** The arguments without {@code --plugins DIR} / {@code --plugins=DIR}, and the folders they named. */
  record Split(List<String> args, List<Path> folders) {}

  static Split split(String[] args, Map<String, String> env) {
    List<String> rest = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    String fromEnv = env.getOrDefault(ENV, "");
    for (String f : fromEnv.split(":")) {
      if (!f.isBlank()) {
        folders.add(Path.of(f.trim()));
      }
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--plugins")) {
        if (i + 1 >= args.length) {
          throw new CliException(ExitCodes.USAGE, "--plugins needs a folder of plugin jars");
        }
        folders.add(Path.of(args[++i]));
      } else if (args[i].startsWith("--plugins=")) {
        folders.add(Path.of(args[i].substring("--plugins=".length())));
      } else {
        rest.add(args[i]);
      }
    }
    return new Split(rest, folders);
  }

  /** The jars of {@code folders}, in name order per folder. */
  static List<Path> jars(List<Path> folders) {
    List<Path> jars = new ArrayList<>();
    for (Path f : folders) {
      if (!Files.isDirectory(f)) {
        throw new CliException(ExitCodes.USAGE, "--plugins " + f + " is not a folder (give the folder that holds "
            + "the plugin jars" + (f.toString().endsWith(".jar") ? ", not the jar" : "") + ")");
      }
      try (Stream<Path> s = Files.list(f)) {
        s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().forEach(jars::add);
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "cannot list --plugins folder " + f + ": " + e.getMessage(), e);
      }
    }
    return jars;
  }

  /** A class loader over {@code jars} whose parent is {@code parent}; {@code parent} when there are none. */
  static ClassLoader loader(List<Path> jars, ClassLoader parent) {
    if (jars.isEmpty()) {
      return parent;
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new CliException(ExitCodes.USAGE, "plugin jar " + jars.get(i) + " has no URL: " + e.getMessage(), e);
      }
    }
    return new URLClassLoader("seqwatch-plugins", urls, parent);
  }
}
