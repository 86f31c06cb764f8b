package io.seqwatch.samples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
  @TempDir Path tmp;

  /** The real Taobao slice when ../shared/data is present, else a simulated log. */
  private Path log() throws IOException {
    String root = System.getProperty("seqwatch.shared.data");
    if (root != null && Files.isRegularFile(Path.of(root, "taobao/user_behavior_2h.csv"))) {
      return Path.of(root, "taobao/user_behavior_2h.csv");
    }
    Simulator.builder().users(500).seed(1).build().generate().write(tmp.resolve("sim"));
    return tmp.resolve("sim/events.csv");
  }

  @Test
  void theReadmeExampleRunsAndFlagsAboutOnePercent() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<Score> scores = Quickstart.run(log(), tmp.resolve("model"), new PrintStream(buf, true, StandardCharsets.UTF_8));
    long flagged = scores.stream().filter(Score::anomalous).count();
    double share = (double) flagged / scores.size();
    assertTrue(share > 0.002 && share < 0.02, "flagged share " + share);
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(flagged, out.lines().filter(l -> !l.startsWith("rejected ")).count());
    try (FittedPipeline back = FittedPipeline.load(tmp.resolve("model"))) {
      assertEquals("isolation-forest", back.provenance().detector());
    }
  }

  private static String normalise(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l.strip()).append('\n');
    }
    return sb.toString().strip();
  }

  @Test
  void theReadmeShowsExactlyThisCode() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("README.md"))) {
      root = root.getParent();
    }
    assertTrue(root != null, "README.md not found above " + Path.of("").toAbsolutePath());
    List<String> src = Files.readAllLines(root.resolve(
        "samples/quickstart/src/main/java/io/seqwatch/samples/quickstart/Quickstart.java"));
    List<String> snippet = src.subList(src.indexOf("    // README-BEGIN") + 1, src.indexOf("    // README-END"));
    String readme = Files.readString(root.resolve("README.md"));
    String block = readme.substring(readme.indexOf("```java\n") + 8);
    block = block.substring(0, block.indexOf("```"));
    assertEquals(normalise(snippet), normalise(block.lines().toList()));
  }
}
