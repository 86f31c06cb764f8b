package io.seqwatch.samples.customplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.registry.ProviderKind;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.registry.Registry;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.spi.DetectorProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin is packed into a jar and found by ServiceLoader from that jar alone: the test's own
 * class loader is wrapped so that it cannot see the plugin's classes or service file.
 */
class LoadFromJarTest {
  private static final String PACKAGE = "io.seqwatch.samples.customplugin.";
  private static final String SERVICE = "META-INF/services/" + DetectorProvider.class.getName();

  @TempDir Path tmp;

  /** The application class path without this plugin. */
  private static final class WithoutPlugin extends ClassLoader {
    WithoutPlugin() {
      super(LoadFromJarTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith(PACKAGE)) {
        throw new ClassNotFoundException(name + " is hidden: it must come from the plugin jar");
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      if (!name.equals(SERVICE)) {
        return super.getResources(name);
      }
      List<URL> kept = Collections.list(super.getResources(name)).stream()
          .filter(u -> !u.toString().contains("custom-plugin")).toList();
      return Collections.enumeration(kept);
    }
  }

  private Path pluginJar() throws IOException {
    Path classes = Path.of(PeakRateDetectorProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path jar = tmp.resolve("seqwatch-sample-custom-plugin.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void theJarAloneBringsTheDetector() throws IOException {
    ClassLoader app = new WithoutPlugin();
    ProviderNotFoundException absent = assertThrows(ProviderNotFoundException.class,
        () -> Registry.load(ProviderKind.DETECTOR, app, k -> null).find("peak-rate"));
    assertTrue(absent.getMessage().startsWith("Unknown detector 'peak-rate'. Found: "), absent.getMessage());

    Path jar = pluginJar();
    try (URLClassLoader withJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, app)) {
      Registries registries = Registries.discover(withJar);
      DetectorProvider p = registries.detectors().find("peak-rate");
      assertEquals(withJar, p.getClass().getClassLoader());
      assertEquals(jar.toUri().toURL().toString(), Registry.location(p.getClass()));

      SimulatedData d = Simulator.builder().users(400).seed(9).build().generate();
      Pipeline pipeline = Pipeline.builder().registries(registries).detector("peak-rate").threshold("fixed:1").build();
      try (FittedPipeline f = pipeline.fitEvents(d.events())) {
        f.save(tmp.resolve("m"));
        Score top = f.scoreEvents(d.events()).stream().max(java.util.Comparator.comparingDouble(Score::value)).orElseThrow();
        assertTrue(top.anomalous() && top.value() > 1, "top " + top);
        assertTrue(top.explanation().summary().contains("peak_events_per_min")
            || top.explanation().summary().contains("events_per_hour"), top.explanation().summary());
        try (FittedPipeline back = FittedPipeline.load(tmp.resolve("m"), registries)) {
          assertEquals(f.threshold(), back.threshold());
        }
      }
    }
  }
}
