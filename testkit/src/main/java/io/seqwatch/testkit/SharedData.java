package io.seqwatch.testkit;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Locates {@code ../shared/data} for tests: the {@code seqwatch.shared.data} system property (set by
 * the build), else {@code ../shared/data} relative to the working directory and its parents.
 */
public final class SharedData {
  private SharedData() {}

  /** The data folder, when present. */
  public static Optional<Path> root() {
    String prop = System.getProperty("seqwatch.shared.data");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Optional.of(Path.of(prop).toAbsolutePath().normalize());
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
      Path p = dir.resolve("../shared/data").normalize();
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** A file under the data folder, when present. */
  public static Optional<Path> file(String relative) {
    return root().map(r -> r.resolve(relative)).filter(Files::isRegularFile);
  }

  /** The accepted events of a shared data file read in {@code format} (rejected records dropped). */
  public static List<BehaviorEvent> events(String format, String relative) throws IOException {
    List<BehaviorEvent> events = new ArrayList<>();
    EventReaders.forFormat(format).read(file(relative).orElseThrow(), events::add, r -> { });
    return events;
  }
}
