package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingListener;
import io.seqwatch.spi.TrainingSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every native array of a scoring call is released: resident memory stays flat over 100k sequences. */
@Tag("slow")
class NativeMemoryTest {
  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static List<Observation> random(Random r, int n, int len) {
    List<Observation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] t = new int[len];
      for (int j = 0; j < len; j++) {
        t[j] = 2 + r.nextInt(8);
      }
      out.add(Observation.of(EncodedSequence.ofTokens("s" + i, t)));
    }
    return out;
  }

  @Test
  void scoringOneHundredThousandSequencesKeepsResidentMemoryFlat() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc");
    DetectorProvider p = new GruDetectorProvider();
    Random r = new Random(1);
    List<String> vocab = List.of("<pad>", "<unk>", "a", "b", "c", "d", "e", "f", "g", "h");
    try (Model m = p.create(Options.of(p.options(), Map.of("hidden", "16", "layers", "1", "window", "5",
        "embedding", "8", "epochs", "1", "device", "cpu")))
        .fit(new TrainingSet(random(r, 2000, 8), Optional.empty(), vocab, 1, TrainingListener.NONE))) {
      long scored = 0;
      long warm = 0;
      for (int round = 0; round < 20; round++) {
        double[] s = m.scoreAll(random(r, 5000, 5));
        scored += s.length;
        assertTrue(Double.isFinite(s[0]));
        if (round == 2) {
          System.gc();
          warm = residentKb();
        }
      }
      System.gc();
      long end = residentKb();
      System.out.printf("resident memory after 15k sequences %,d kB, after %,d: %,d kB (%+,d kB)%n", warm, scored, end,
          end - warm);
      assertEquals(100_000, scored);
      assertTrue(end - warm < 64 * 1024, "resident memory grew by " + (end - warm) + " kB");
    }
  }
}
