package io.seqwatch.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.spi.DetectorProvider;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery scenarios, each with its own class path view: a class loader that shows only the
 * service files of the scenario (the classes come from the test class path).
 */
class RegistryScenarioTest {
  private static final String SERVICES = "META-INF/services/" + DetectorProvider.class.getName();

  @TempDir Path tmp;

  /** Shows only the scenario's service file; everything else from the parent. */
  private static final class ScenarioLoader extends ClassLoader {
    private final Path root;

    ScenarioLoader(Path root) {
      super(RegistryScenarioTest.class.getClassLoader());
      this.root = root;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      if (name.startsWith("META-INF/services/")) {
        Path p = root.resolve(name);
        return Files.exists(p) ? Collections.enumeration(List.of(p.toUri().toURL())) : Collections.emptyEnumeration();
      }
      return super.getResources(name);
    }
  }

  private Registry<DetectorProvider> scenario(Map<String, String> env, Class<?>... providers) throws IOException {
    Path file = tmp.resolve(SERVICES);
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder("# scenario\n");
    for (Class<?> c : providers) {
      sb.append(c.getName()).append('\n');
    }
    Files.writeString(file, sb.toString());
    return Registry.load(ProviderKind.DETECTOR, new ScenarioLoader(tmp), env::get);
  }

  @Test
  void noDetectorFoundNamesTheArtifactToAdd() throws IOException {
    Registry<DetectorProvider> r = scenario(Map.of());
    ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> r.find("isolation-forest"));
    assertEquals("No detector provider found on the class path (no META-INF/services/io.seqwatch.spi.DetectorProvider). "
        + "Add a detector plugin such as io.seqwatch:seqwatch-plugin-forest as a dependency.", e.getMessage());
    assertThrows(ProviderNotFoundException.class, () -> r.select());
  }

  @Test
  void unknownNameListsTheNamesFound() throws IOException {
    Registry<DetectorProvider> r = scenario(Map.of(), ScenarioProviders.Alpha.class, ScenarioProviders.Beta.class);
    ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> r.find("gamma"));
    assertEquals("Unknown detector 'gamma'. Found: alpha, beta.", e.getMessage());
  }

  @Test
  void duplicateNameWarnsWithBothClassesAndKeepsTheHigherPriority() throws IOException {
    Registry<DetectorProvider> r = scenario(Map.of(), ScenarioProviders.Alpha.class, ScenarioProviders.AlphaTwin.class);
    assertEquals(ScenarioProviders.AlphaTwin.class, r.find("alpha").getClass());
    assertEquals(1, r.problems().size());
    String loc = Registry.location(ScenarioProviders.Alpha.class);
    assertEquals("Two detector providers are named 'alpha': "
        + ScenarioProviders.Alpha.class.getName() + " (" + loc + ") and "
        + ScenarioProviders.AlphaTwin.class.getName() + " (" + loc + "); using "
        + ScenarioProviders.AlphaTwin.class.getName() + " (priority 5), ignoring "
        + ScenarioProviders.Alpha.class.getName() + ". Remove one of the jars or give one a higher priority().",
        r.problems().get(0));
  }

  @Test
  void aProviderThatThrowsIsSkippedAndTheOthersLoad() throws IOException {
    Registry<DetectorProvider> r = scenario(Map.of(), ScenarioProviders.Broken.class, ScenarioProviders.Beta.class,
        ScenarioProviders.Alpha.class);
    assertEquals(List.of("alpha", "beta"), r.names());
    assertEquals(1, r.problems().size());
    String p = r.problems().get(0);
    assertTrue(p.startsWith("A detector provider failed to load and was skipped: "), p);
    assertTrue(p.contains(ScenarioProviders.Broken.class.getName()) && p.contains("native library missing"), p);
  }

  @Test
  void aMissingProviderClassIsSkippedToo() throws IOException {
    Path file = tmp.resolve(SERVICES);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "com.example.NoSuchProvider\n" + ScenarioProviders.Beta.class.getName() + "\n");
    Registry<DetectorProvider> r = Registry.load(ProviderKind.DETECTOR, new ScenarioLoader(tmp), k -> null);
    assertEquals(List.of("beta"), r.names());
    assertTrue(r.problems().get(0).contains("com.example.NoSuchProvider"), r.problems().get(0));
  }

  @Test
  void precedenceExplicitThenPropertyThenEnvironmentThenPriority() throws IOException {
    Registry<DetectorProvider> r = scenario(Map.of("SEQWATCH_DETECTOR", "alpha"),
        ScenarioProviders.Alpha.class, ScenarioProviders.Beta.class);
    assertEquals("beta", r.select("beta").name());
    assertEquals("alpha", r.select().name()); // environment
    System.setProperty("seqwatch.detector", "beta");
    try {
      assertEquals("beta", r.select().name()); // property beats environment
      assertEquals("alpha", r.select("alpha").name()); // explicit beats property
    } finally {
      System.clearProperty("seqwatch.detector");
    }
    Registry<DetectorProvider> plain = scenario(Map.of(), ScenarioProviders.Alpha.class, ScenarioProviders.Beta.class);
    assertEquals("beta", plain.select().name()); // highest priority
  }
}
