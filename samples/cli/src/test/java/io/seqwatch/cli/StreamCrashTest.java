package io.seqwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.stream.StreamingScorer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqwatch stream} in a child JVM stopped by SIGTERM and by kill -9 in the middle of the real
 * Taobao log, then run again with the same command: no alert is lost, a SIGTERM repeats none, a
 * kill -9 repeats only alerts raised since the last snapshot, with their ids. The input is a named
 * pipe the test writes, so the child is mid-stream (waiting for more) when it is stopped; nothing
 * depends on timing.
 */
class StreamCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private List<String> lines;
  private Path model;
  private Set<String> onePass;

  @BeforeEach
  void trainAndStreamOnce() throws IOException {
    String root = System.getProperty("seqwatch.shared.data");
    assumeTrue(root != null && Files.isRegularFile(Path.of(root, "taobao/user_behavior_2h.csv")),
        "../shared/data is absent");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "needs mkfifo");
    Path log = Path.of(root, "taobao/user_behavior_2h.csv");
    lines = Files.readAllLines(log);
    model = tmp.resolve("model");
    assertEquals(0, CliTest.run("train", "--input", log.toString(), "--format", "taobao", "--detector",
        "isolation-forest", "--threshold", "evt:0.01", "--model", model.toString()).code());
    Path once = tmp.resolve("once.jsonl");
    assertEquals(0, CliTest.run("stream", "--model", model.toString(), "--input", log.toString(), "--format", "taobao",
        "--alerts", once.toString()).code());
    onePass = new HashSet<>(ids(once));
    assertEquals(ids(once).size(), onePass.size(), "one pass raises each alert once");
    assertTrue(onePass.size() > 100, onePass.size() + " alerts");
  }

  @Test
  void sigtermSnapshotsWhereItStoppedAndTheSameCommandResumesWithoutRepeats() throws Exception {
    Result r = interrupt(false);
    // the child may still be working through what the pipe holds when SIGTERM comes: it stops after
    // whichever line it is on, and says so; the snapshot covers exactly that line
    assertTrue(r.snapshotLine() >= 40_000 && r.snapshotLine() <= 50_001, "stopped at line " + r.snapshotLine());
    assertTrue(r.childOutput().contains(String.format(java.util.Locale.ROOT,
        "stopped on request at line %,d; the same command resumes after it", r.snapshotLine())), r.childOutput());
    assertEquals(onePass, new HashSet<>(r.alertIds()));
    assertEquals(r.alertIds().size(), onePass.size(), "a graceful stop repeats no alert");
  }

  @Test
  void killDashNineResumesFromTheLastSnapshotRepeatingOnlyLaterAlertsWithTheirIds() throws Exception {
    Result r = interrupt(true);
    assertTrue(r.snapshotLine() >= 40_000 && r.snapshotLine() < 50_000, "last periodic snapshot " + r.snapshotLine());
    assertEquals(onePass, new HashSet<>(r.alertIds()), "no alert lost");
    int repeats = r.alertIds().size() - onePass.size();
    System.out.printf("kill -9 mid-stream, snapshot at line %,d: %d of %d alerts sent twice%n",
        r.snapshotLine(), repeats, onePass.size());
    assertTrue(repeats < onePass.size() / 4, repeats + " repeats");
  }

  @Test
  void aFullDiskEndsTheStreamWithAClearErrorAndLeavesOnlyWholeAlertLines() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    Path alerts = tmp.resolve("full/alerts.jsonl");
    Files.createDirectories(alerts.getParent());
    // the child may write files of at most 40 KB: the alerts file fills up after some 60 alerts
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd = "ulimit -f 40; exec \"$0\" -cp \"$1\" io.seqwatch.cli.SeqwatchCommand stream --model \"$2\" --input \"$3\" "
        + "--format taobao --alerts \"$4\"";
    Path input = Files.write(tmp.resolve("full/events.csv"), lines);
    Process child = new ProcessBuilder("/bin/bash", "-c", cmd, java, System.getProperty("java.class.path"),
        model.toString(), input.toString(), alerts.toString()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(3, child.waitFor(), out);
    assertTrue(out.contains("jsonl sink: cannot write alert ") && out.contains("(the file keeps only whole lines)"), out);
    assertTrue(Files.size(alerts) <= 40 * 1024, Files.size(alerts) + " bytes");
    List<String> written = ids(alerts); // every line is whole JSON with an id
    assertTrue(written.size() > 10 && onePass.containsAll(written), written.size() + " alerts");
  }

  @Test
  void killDashNineWhileTrainSavesOverAModelLeavesTheOldOrTheNewModelNeverATornOne() throws Exception {
    for (String name : List.of("knn.zip", "knn")) {
      Path target = tmp.resolve("retrain").resolve(name);
      Files.createDirectories(target.getParent());
      Path log = tmp.resolve("retrain/events.csv");
      if (!Files.exists(log)) {
        Files.write(log, lines.subList(0, 15_000));
      }
      // knn keeps its training vectors (some 10,000 users): a bundle of megabytes, so the save can be caught
      assertEquals(0, CliTest.run("train", "--input", log.toString(), "--format", "taobao", "--detector", "knn",
          "--set", "k=5", "--threshold", "quantile:0.99", "--model", target.toString()).code());
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "io.seqwatch.cli.SeqwatchCommand", "train", "--input",
          log.toString(), "--format", "taobao", "--detector", "knn", "--set", "k=7", "--threshold", "quantile:0.99",
          "--model", target.toString())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("retrain.log").toFile()).start();
      boolean caught = false;
      while (child.isAlive()) { // kill -9 the moment the new bundle is being written beside the old one
        try (var siblings = Files.list(target.getParent())) {
          if (siblings.anyMatch(f -> f.getFileName().toString().startsWith("." + name + "."))) {
            child.destroyForcibly();
            caught = true;
            break;
          }
        }
        Thread.onSpinWait();
      }
      child.waitFor();
      System.out.printf("kill -9 during the save of %s: %s%n", name, caught ? "caught mid-save" : "the save ended first");
      try (FittedPipeline p = FittedPipeline.load(target)) {
        String k = p.provenance().options().get("k");
        assertTrue(k.equals("5") || k.equals("7"), k); // the old model or the new one, whole
      } catch (io.seqwatch.api.ModelFormatException between) {
        // a folder swap killed between its two renames: the load names where the old bundle is
        assertTrue(between.getMessage().contains(".previous"), between.getMessage());
      }
    }
  }

  record Result(long snapshotLine, String childOutput, List<String> alertIds) {}

  /**
   * Streams the first 50,000 lines through a named pipe to a child JVM snapshotting every 20,000
   * events, stops it (SIGTERM, or kill -9), then runs the same command over the whole log in place of
   * the pipe.
   */
  private Result interrupt(boolean kill) throws Exception {
    Path input = tmp.resolve("events.csv");
    Path snapshots = tmp.resolve("snap");
    Path alerts = tmp.resolve("alerts.jsonl");
    assertEquals(0, new ProcessBuilder("/usr/bin/mkfifo", input.toString()).start().waitFor());
    List<String> args = List.of("stream", "--model", model.toString(), "--input", input.toString(), "--format",
        "taobao", "--alerts", alerts.toString(), "--snapshot", snapshots.toString(), "--snapshot-every", "20000");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.seqwatch.cli.SeqwatchCommand"));
    command.addAll(args);
    Path childLog = tmp.resolve("child.log");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
    try (OutputStream pipe = Files.newOutputStream(input)) {
      pipe.write((String.join("\n", lines.subList(0, 50_000)) + "\n").getBytes(StandardCharsets.UTF_8));
      pipe.flush();
      Path snap = snapshots.resolve("stream.snapshot");
      while (snapshotLine(snap) < 40_000) { // the child read what it was given and waits for more
        assertTrue(child.isAlive(), () -> read(childLog));
        Thread.sleep(50);
      }
      if (kill) {
        child.destroyForcibly();
      } else {
        child.destroy(); // SIGTERM
        while (!read(childLog).contains("stopping at the next line")) {
          assertTrue(child.isAlive(), () -> read(childLog));
          Thread.sleep(20);
        }
        pipe.write((lines.get(50_000) + "\n").getBytes(StandardCharsets.UTF_8)); // the next line: a boundary
        pipe.flush();
      }
    } catch (IOException brokenPipe) {
      // the child was gone before the last write: it stopped as asked
    }
    assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child did not end");
    String childOutput = read(childLog);
    long at = snapshotLine(snapshots.resolve("stream.snapshot"));
    // the same command again, with the whole log where the pipe was
    Files.delete(input);
    Files.write(input, lines);
    CliTest.Run again = CliTest.run(args.toArray(String[]::new));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains(String.format(java.util.Locale.ROOT, "was read through line %,d", at)),
        again.err());
    return new Result(at, childOutput, ids(alerts));
  }

  /** The line a snapshot covers, or -1 while there is none. */
  private long snapshotLine(Path snap) throws IOException {
    if (!Files.isRegularFile(snap)) {
      return -1;
    }
    try (FittedPipeline p = FittedPipeline.load(model)) {
      Map<String, String> at = StreamingScorer.builder(p).build().restore(snap);
      return Long.parseLong(at.get("line"));
    }
  }

  /** The ids of an alerts file, in order; every line is whole JSON with an id. */
  private static List<String> ids(Path alerts) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(alerts)) {
      JsonNode n = JSON.readTree(line);
      assertEquals(32, n.get("id").asText().length(), line);
      out.add(n.get("id").asText());
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
