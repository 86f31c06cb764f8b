package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingListener;
import io.seqwatch.spi.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every native array of a scoring call is released: the arrays the model's DJL manager holds (its
 * sub-managers included) are the same after 100k scored sequences as after the first batch. Counted,
 * not timed: resident memory right after a garbage collection depends on when the JVM's cleaners run,
 * so it is measured in {@code samples/bench} ({@code EngineBenchmark}), not asserted here.
 */
class NativeMemoryTest {
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
  void scoringOneHundredThousandSequencesHoldsNoNativeArrays() {
    DetectorProvider p = new GruDetectorProvider();
    Random r = new Random(1);
    List<String> vocab = List.of("<pad>", "<unk>", "a", "b", "c", "d", "e", "f", "g", "h");
    try (Model m = p.create(Options.of(p.options(), Map.of("hidden", "16", "layers", "1", "window", "5",
        "embedding", "8", "epochs", "1", "device", "cpu")))
        .fit(new TrainingSet(random(r, 2000, 8), Optional.empty(), vocab, 1, TrainingListener.NONE))) {
      NextActionModel model = assertInstanceOf(NextActionModel.class, m);
      long scored = 0;
      int first = -1;
      for (int round = 0; round < 20; round++) {
        double[] s = m.scoreAll(random(r, 5000, 5));
        scored += s.length;
        assertTrue(Double.isFinite(s[0]));
        if (round == 0) {
          first = model.heldArrays();
        }
        assertEquals(first, model.heldArrays(), "arrays held after round " + round);
      }
      assertEquals(100_000, scored);
      assertTrue(first > 0, "the parameters are held: " + first);
    }
  }
}
