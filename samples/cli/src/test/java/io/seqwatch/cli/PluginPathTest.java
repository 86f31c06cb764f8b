package io.seqwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.core.registry.Registries;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginPathTest {
  @TempDir Path tmp;

  @Test
  void pluginsOptionsAreTakenFromAnywhereAndTheEnvironment() {
    PluginPath.Split s = PluginPath.split(new String[] {"--plugins", "a", "train", "--plugins=b", "--detector", "x"},
        Map.of(PluginPath.ENV, "c:d"));
    assertEquals(List.of("train", "--detector", "x"), s.args());
    assertEquals(List.of(Path.of("c"), Path.of("d"), Path.of("a"), Path.of("b")), s.folders());
    CliException e = assertThrows(CliException.class, () -> PluginPath.split(new String[] {"plugins", "--plugins"}, Map.of()));
    assertEquals(ExitCodes.USAGE, e.exitCode());
  }

  @Test
  void aProviderNamedInAPluginJarIsDiscoveredThroughTheLoader() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("echo-sink.jar")))) {
      jar.putNextEntry(new JarEntry("META-INF/services/io.seqwatch.spi.AlertSinkProvider"));
      jar.write((EchoSinkProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    Files.writeString(dir.resolve("README.txt"), "not a jar");
    List<Path> jars = PluginPath.jars(List.of(dir));
    assertEquals(List.of(dir.resolve("echo-sink.jar")), jars);
    ClassLoader parent = getClass().getClassLoader();
    assertFalse(Registries.discover(parent).sinks().names().contains("test-echo"));
    assertTrue(Registries.discover(PluginPath.loader(jars, parent)).sinks().names().contains("test-echo"));
    CliException notAFolder = assertThrows(CliException.class,
        () -> PluginPath.jars(List.of(dir.resolve("echo-sink.jar"))));
    assertTrue(notAFolder.getMessage().contains("is not a folder") && notAFolder.getMessage().contains("not the jar"),
        notAFolder.getMessage());
  }
}
