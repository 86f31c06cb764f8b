package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.EncodedSequence;
import io.seqwatch.engine.common.EventFrequencies;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.spi.support.Typicality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Whatever the training events and the sequence scored (empty ones, tokens past the vocabulary or
 * the token map, negative or too-large gap buckets, categories past the buckets), the context-free
 * z of every part is finite and at least 0, a sequence made of the training events' commonest values
 * in their training proportions scores near 0, and the counts read back from the settings file score
 * every sequence to the last bit.
 */
class EventFrequenciesProperties {
  private static final MaskedEventConfig CONFIG = new MaskedEventConfig(List.of("<pad>", "<unk>", "view", "cart", "buy"), 8,
      16, 16, 16, 2, 1, 4, "components", Typicality.UNMEASURED, MaskedEventConfig.UNMEASURED, Map.of());

  private static EncodedSequence random(Random r, String key, int n, boolean wild) {
    int[] tokens = new int[n];
    int[] gaps = new int[n];
    int[] cats = new int[n];
    double[] prices = new double[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = wild ? r.nextInt(12) : 2 + r.nextInt(r.nextInt(3) + 1);
      gaps[i] = wild ? r.nextInt(14) - 3 : r.nextInt(4);
      cats[i] = wild ? r.nextInt(40) - 5 : r.nextInt(3);
      prices[i] = Double.NaN;
    }
    return new EncodedSequence(key, tokens, gaps, cats, prices);
  }

  @Property(tries = 200)
  void zIsFiniteAndNonNegativeAndTheCountsTravelExactly(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 0, max = 40) int training, @ForAll @IntRange(min = 0, max = 60) int length,
      @ForAll boolean mapped, @ForAll boolean sdOnly) throws IOException {
    Random r = new Random(seed);
    List<EncodedSequence> train = new ArrayList<>();
    for (int i = 0; i < training; i++) {
      train.add(random(r, "t" + i, r.nextInt(30), r.nextInt(10) == 0));
    }
    int[] map = mapped ? new int[] {0, 1, 4, 3, 2, 9} : null; // token 5 maps past the vocabulary, 6+ past the map
    MaskedEventConfig scoring = sdOnly ? CONFIG.withScoring(CONFIG.passes(), "components-sd") : CONFIG;
    MaskedEventConfig c = scoring.withFrequencies(EventFrequencies.measure(train, scoring, map));
    MaskedEventConfig back = ShortfallTest.roundTrip(c);
    for (int k = 0; k < 5; k++) {
      EncodedSequence s = random(r, "s" + k, k == 0 ? 0 : r.nextInt(length + 1), r.nextBoolean());
      double[] z = c.frequencies().z(s, c, map);
      for (double v : z) {
        assertTrue(Double.isFinite(v) && v >= 0, Arrays.toString(z) + " for " + Arrays.toString(s.tokens()));
      }
      if (s.length() == 0) {
        assertArrayEquals(new double[3], z, 0);
      }
      assertArrayEquals(z, back.frequencies().z(s, back, map), 0, "read back from the settings file");
    }
  }

  @Property(tries = 100)
  void theTrainingEventsThemselvesScoreNearZeroOnAverage(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Random r = new Random(seed);
    List<EncodedSequence> train = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      train.add(random(r, "t" + i, 20, false));
    }
    EventFrequencies f = EventFrequencies.measure(train, CONFIG, null);
    // all training events as one sequence: its mean context-free surprise is the centre itself
    int n = 50 * 20;
    int[] tokens = new int[n];
    int[] gaps = new int[n];
    int[] cats = new int[n];
    double[] prices = new double[n];
    Arrays.fill(prices, Double.NaN);
    for (int i = 0; i < 50; i++) {
      System.arraycopy(train.get(i).tokens(), 0, tokens, i * 20, 20);
      System.arraycopy(train.get(i).gapBuckets(), 0, gaps, i * 20, 20);
      System.arraycopy(train.get(i).categoryIds(), 0, cats, i * 20, 20);
    }
    double[] z = f.z(new EncodedSequence("all", tokens, gaps, cats, prices), CONFIG, null);
    for (int p = 0; p < 3; p++) {
      assertEquals(0, z[p], 1e-6, "part " + p);
    }
  }
}
