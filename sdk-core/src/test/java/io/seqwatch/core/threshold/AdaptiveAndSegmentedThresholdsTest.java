package io.seqwatch.core.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.spi.support.Quantiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptiveAndSegmentedThresholdsTest {
  @TempDir Path tmp;

  @Property(tries = 30)
  void streamingQuantileTracksTheTrueQuantile(@ForAll @LongRange(min = 0, max = 1000) long seed,
      @ForAll @DoubleRange(min = 0.5, max = 0.99) double q) {
    Random r = new Random(seed);
    double[] xs = new double[20_000];
    StreamingQuantile p2 = new StreamingQuantile(q);
    for (int i = 0; i < xs.length; i++) {
      xs[i] = r.nextBoolean() ? r.nextGaussian() : Math.exp(r.nextGaussian());
      p2.add(xs[i]);
    }
    double truth = Quantiles.of(xs, q);
    double rank = java.util.Arrays.stream(xs).filter(x -> x <= p2.estimate()).count() / (double) xs.length;
    assertTrue(Math.abs(rank - q) < 0.01, "estimate " + p2.estimate() + " sits at rank " + rank + ", truth " + truth);
  }

  @Test
  void streamingQuantileAdaptsAndResumesFromItsState() {
    StreamingQuantile p2 = new StreamingQuantile(0.9);
    Random r = new Random(1);
    for (int i = 0; i < 5000; i++) {
      p2.add(r.nextDouble());
    }
    assertEquals(0.9, p2.estimate(), 0.02);
    StreamingQuantile resumed = StreamingQuantile.fromState(p2.state());
    assertEquals(p2.estimate(), resumed.estimate());
    for (int i = 0; i < 50_000; i++) {
      resumed.add(10 + r.nextDouble()); // the score distribution shifts
    }
    assertTrue(resumed.estimate() > 10, "adapted: " + resumed.estimate());
  }

  @Test
  void perSegmentThresholdsByLengthRoundTripThroughABundle() throws IOException {
    SimulatedData d = Simulator.builder().users(400).seed(2).build().generate();
    Pipeline p = Pipeline.builder().detector("test-distance").threshold("per-segment:length").build();
    List<BehaviorSequence> seqs = p.sequences(d.events());
    try (FittedPipeline f = p.fit(seqs)) {
      assertEquals("length", f.threshold().segmentation());
      assertTrue(f.threshold().segments().size() >= 2, "segments " + f.threshold().segments());
      double shortT = f.threshold().valueFor("2-4");
      double longT = f.threshold().valueFor("20+");
      assertTrue(shortT != longT, "different thresholds per length");
      List<Score> scores = f.score(seqs);
      for (int i = 0; i < seqs.size(); i++) {
        String seg = Segmenters.forName("length").apply(seqs.get(i));
        assertEquals(scores.get(i).value() > f.threshold().valueFor(seg), scores.get(i).anomalous());
      }
      f.save(tmp.resolve("m"));
      try (FittedPipeline back = FittedPipeline.load(tmp.resolve("m"))) {
        assertEquals(f.threshold(), back.threshold());
        assertEquals(scores, back.score(seqs));
      }
    }
    Pipeline s = Pipeline.builder().detector("test-distance").threshold("streaming-quantile:0.95").build();
    try (FittedPipeline f = s.fit(seqs)) {
      assertEquals(f.threshold().value(), f.adaptiveThreshold().orElseThrow().estimate());
      assertEquals(seqs.size(), f.adaptiveThreshold().orElseThrow().count());
    }
  }
}
