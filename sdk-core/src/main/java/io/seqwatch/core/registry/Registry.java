package io.seqwatch.core.registry;

import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.spi.Provider;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import io.seqwatch.spi.DetectorProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds providers of one kind with {@link ServiceLoader} and picks one by name.
 *
 * <p>Precedence: an explicit name &gt; the system property {@code -Dseqwatch.<kind>} &gt; the
 * environment variable {@code SEQWATCH_<KIND>} &gt; the provider with the highest priority. A
 * provider that fails to load is logged and skipped; the others still load. Two providers with one
 * name: the higher priority (then the first found) wins, and a warning names both classes and jars.
 * Detector providers of one name but different engines ({@link DetectorProvider#engine()}) are no
 * conflict: all are kept, {@link #find} returns the engine named by {@code -Dseqwatch.engine} (or
 * {@code SEQWATCH_ENGINE}) when it has one, else the highest priority, and {@link #lookup(String,
 * String)} finds a given engine's provider (bundles use it to load with the engine that wrote them).
 *
 * <pre>{@code
 * DetectorProvider forest = Registry.load(ProviderKind.DETECTOR).find("isolation-forest");
 * }</pre>
 *
 * <p>Thread-safety: immutable after {@link #load}; safe to share.
 */
public final class Registry<P extends Provider> {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  private final ProviderKind<P> kind;
  private final Map<String, P> byName;
  private final Map<String, Map<String, P>> variants;
  private final List<String> problems;
  private final Function<String, String> environment;

  private Registry(
      ProviderKind<P> kind,
      Map<String, P> byName,
      Map<String, Map<String, P>> variants,
      List<String> problems,
      Function<String, String> environment) {
    this.kind = kind;
    this.byName = byName;
    this.variants = variants;
    this.problems = problems;
    this.environment = environment;
  }

  /** Discovers providers with the thread context class loader (or this class's loader). */
  public static <P extends Provider> Registry<P> load(ProviderKind<P> kind) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(kind, cl != null ? cl : Registry.class.getClassLoader(), System::getenv);
  }

  /**
   * Discovers providers visible to {@code loader}.
   *
   * @param environment reads environment variables (tests pass a map)
   */
  public static <P extends Provider> Registry<P> load(
      ProviderKind<P> kind, ClassLoader loader, Function<String, String> environment) {
    Objects.requireNonNull(kind, "kind");
    List<P> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Iterator<P> it = ServiceLoader.load(kind.type(), loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        String msg = "A " + kind.noun() + " provider failed to load and was skipped: " + rootMessage(e);
        LOG.warn(msg);
        LOG.debug("stack trace of the provider that failed to load", e);
        problems.add(msg);
      }
    }
    Map<String, Map<String, P>> variants = new TreeMap<>();
    for (P p : found) {
      String name;
      String variant;
      try {
        name = Objects.requireNonNull(p.name(), "name()");
        variant = Objects.requireNonNull(kind.variantOf(p), "engine()");
      } catch (RuntimeException e) {
        String msg = "The " + kind.noun() + " provider " + p.getClass().getName()
            + " failed in name() and was skipped: " + rootMessage(e);
        LOG.warn(msg);
        LOG.debug("stack trace of the provider that failed in name()", e);
        problems.add(msg);
        continue;
      }
      Map<String, P> byVariant = variants.computeIfAbsent(name, k -> new TreeMap<>());
      P other = byVariant.get(variant);
      if (other == null) {
        byVariant.put(variant, p);
        continue;
      }
      P winner = p.priority() > other.priority() ? p : other;
      P loser = winner == p ? other : p;
      String msg = "Two " + kind.noun() + " providers are named '" + name + "': "
          + describe(other) + " and " + describe(p) + "; using " + winner.getClass().getName()
          + " (priority " + winner.priority() + "), ignoring " + loser.getClass().getName()
          + ". Remove one of the jars or give one a higher priority().";
      LOG.warn(msg);
      problems.add(msg);
      byVariant.put(variant, winner);
    }
    Map<String, P> byName = new LinkedHashMap<>();
    Map<String, Map<String, P>> frozen = new LinkedHashMap<>();
    variants.forEach((name, byVariant) -> {
      byName.put(name, byVariant.values().stream().max(Comparator.comparingInt(Provider::priority)).orElseThrow());
      frozen.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(byVariant)));
    });
    return new Registry<>(
        kind, Collections.unmodifiableMap(byName), Collections.unmodifiableMap(frozen), List.copyOf(problems),
        environment);
  }

  private static String describe(Provider p) {
    return p.getClass().getName() + " (" + location(p.getClass()) + ")";
  }

  /** The jar or folder a class was loaded from. */
  public static String location(Class<?> c) {
    CodeSource cs = c.getProtectionDomain().getCodeSource();
    return cs == null || cs.getLocation() == null ? "unknown location" : cs.getLocation().toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      sb.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }

  /** The kind this registry holds. */
  public ProviderKind<P> kind() {
    return kind;
  }

  /** Every provider found, one per name and variant (sorted by name, then variant). */
  public List<P> allVariants() {
    List<P> out = new ArrayList<>();
    variants.values().forEach(v -> out.addAll(v.values()));
    return out;
  }

  /** The variants (detector engines) found for a name, sorted; empty when the name is unknown. */
  public List<String> variants(String name) {
    Map<String, P> v = variants.get(name);
    return v == null ? List.of() : List.copyOf(v.keySet());
  }

  /** The provider of this name and variant (detector engine), if found. */
  public Optional<P> lookup(String name, String variant) {
    Map<String, P> v = variants.get(name);
    return v == null ? Optional.empty() : Optional.ofNullable(v.get(variant));
  }

  /** Every provider found, by name (sorted); of several engines for one name, the one {@link #find} picks by priority. */
  public Map<String, P> all() {
    return byName;
  }

  /** Names found, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** Warnings from discovery: providers that failed to load, duplicate names. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The provider with this name.
   *
   * @throws ProviderNotFoundException when none is found at all, or the name is unknown (the
   *     message lists the names found)
   */
  public P find(String name) {
    return find(name, "");
  }

  /**
   * The provider with this name, on a chosen variant (a detector's engine) where the name has
   * several: {@code variant} when given, else {@code -Dseqwatch.engine}, else {@code SEQWATCH_ENGINE},
   * else the highest priority. A blank {@code variant} counts as none given.
   *
   * @throws ProviderNotFoundException as {@link #find(String)}, or when the chosen engine does not
   *     provide the name (the message lists the engines that do and the artifact to add)
   */
  public P find(String name, String variant) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(variant, "variant");
    requireAny();
    P p = byName.get(name);
    if (p == null) {
      throw new ProviderNotFoundException(
          "Unknown " + kind.noun() + " '" + name + "'. Found: " + String.join(", ", byName.keySet())
              + ".");
    }
    Map<String, P> v = variants.get(name);
    Optional<String> chosen = Optional.of(variant.trim()).filter(e -> !e.isEmpty());
    String source = "engine=";
    String otherwise = "choose another engine";
    if (chosen.isEmpty() && v.size() > 1) {
      chosen = Optional.ofNullable(System.getProperty("seqwatch.engine"))
          .or(() -> Optional.ofNullable(environment.apply("SEQWATCH_ENGINE"))).map(String::trim)
          .filter(e -> !e.isEmpty());
      source = "seqwatch.engine is set to ";
      otherwise = "unset seqwatch.engine";
    }
    if (chosen.isEmpty()) {
      return p;
    }
    P c = v.get(chosen.get());
    if (c == null) {
      throw new ProviderNotFoundException(source + "'" + chosen.get() + "' but the " + kind.noun() + " '" + name
          + "' is found only for the engine" + (v.size() > 1 ? "s " : " ") + String.join(", ", v.keySet())
          + ". Add io.seqwatch:seqwatch-engine-" + chosen.get() + " as a dependency, or " + otherwise + ".");
    }
    return c;
  }

  /** The provider with this name, if found. */
  public Optional<P> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Picks a provider: the system property, else the environment variable, else the highest
   * priority (ties: the first name in sort order).
   *
   * @throws ProviderNotFoundException as {@link #find}
   */
  public P select() {
    return select("");
  }

  /**
   * Picks a provider: {@code explicit} unless blank, else as {@link #select()}.
   *
   * @throws ProviderNotFoundException as {@link #find}
   */
  public P select(String explicit) {
    Optional<String> name = Optional.of(Objects.requireNonNull(explicit, "explicit")).filter(s -> !s.isBlank());
    if (name.isEmpty()) {
      name = Optional.ofNullable(System.getProperty(kind.systemProperty())).filter(s -> !s.isBlank());
    }
    if (name.isEmpty()) {
      name = Optional.ofNullable(environment.apply(kind.environmentVariable()))
          .filter(s -> !s.isBlank());
    }
    if (name.isPresent()) {
      return find(name.get().trim());
    }
    requireAny();
    return byName.values().stream()
        .max(Comparator.comparingInt(Provider::priority))
        .orElseThrow();
  }

  private void requireAny() {
    if (byName.isEmpty()) {
      StringBuilder sb = new StringBuilder("No " + kind.noun() + " provider found on the class path ("
          + "no META-INF/services/" + kind.type().getName() + "). Add " + kind.artifactHint()
          + " as a dependency.");
      if (!problems.isEmpty()) {
        sb.append(" Problems while loading: ").append(String.join("; ", problems));
      }
      throw new ProviderNotFoundException(sb.toString());
    }
  }
}
