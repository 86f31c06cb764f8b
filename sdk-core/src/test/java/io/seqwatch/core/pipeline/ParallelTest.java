package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Score;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Any number of threads gives the results of one: the same model, threshold, scores and reasons. */
class ParallelTest {
  private static final SimulatedData DATA = Simulator.builder().users(600).anomalyRate(0.05).seed(9).build().generate();

  @Test
  void fittingAndScoringOnFourThreadsEqualsOneThread() {
    for (String detector : List.of("test-distance", "test-unigram")) {
      Pipeline one = Pipeline.builder().detector(detector).threads(1).seed(5).build();
      Pipeline four = Pipeline.builder().detector(detector).threads(4).seed(5).build();
      List<BehaviorSequence> seqs = one.sequences(DATA.events());
      assertTrue(seqs.size() >= Parallel.MIN_PARALLEL, seqs.size() + " sequences");
      try (FittedPipeline a = one.fit(seqs); FittedPipeline b = four.fit(seqs)) {
        assertEquals(a.threshold(), b.threshold(), detector);
        List<Score> s1 = a.score(seqs, 1);
        List<Score> s4 = b.score(seqs, 4);
        assertEquals(s1, s4, detector); // keys, scores, decisions and reasons, in order
        assertEquals(s1, a.score(seqs, 3), detector);
      }
    }
  }

  @Test
  void scoresHandedOutBlockByBlockEqualTheWholeList() {
    for (String detector : List.of("test-distance", "test-unigram")) { // row-wise in blocks; one batch
      Pipeline p = Pipeline.builder().detector(detector).threads(1).seed(5).build();
      List<BehaviorSequence> seqs = p.sequences(DATA.events());
      try (FittedPipeline f = p.fit(seqs)) {
        List<Score> whole = f.score(seqs, 1);
        for (int threads : new int[] {1, 2}) {
          List<Score> streamed = new java.util.ArrayList<>();
          f.score(seqs, threads, streamed::add, 97); // blocks that do not divide the list
          assertEquals(whole, streamed, detector + " on " + threads + " threads");
        }
        List<Score> streamed = new java.util.ArrayList<>();
        f.score(seqs, 2, streamed::add);
        assertEquals(whole, streamed, detector);
      }
    }
  }

  /** A model that scores observations by their key's length; batches only when told to. */
  private static class KeyLength implements io.seqwatch.spi.Model {
    @Override
    public String detector() {
      return "key-length";
    }

    @Override
    public io.seqwatch.spi.Representation input() {
      return io.seqwatch.spi.Representation.FEATURES;
    }

    @Override
    public double score(io.seqwatch.api.Observation o) {
      return o.key().length();
    }

    @Override
    public io.seqwatch.api.Explanation explain(io.seqwatch.api.Observation o, int maxItems) {
      return io.seqwatch.api.Explanation.NONE;
    }

    @Override
    public io.seqwatch.api.ModelProvenance provenance() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void save(io.seqwatch.spi.ArtifactWriter out) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void modelsThatKeepTheOneByOneDefaultAreSplitAndBatchingModelsAreNot() {
    assertTrue(Parallel.rowWise(new KeyLength()));
    assertFalse(Parallel.rowWise(new KeyLength() {
      @Override
      public double[] scoreAll(List<io.seqwatch.api.Observation> observations) {
        return super.scoreAll(observations);
      }
    }));
  }

  @Test
  void zeroThreadsIsRefused() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Pipeline.builder().threads(0));
    assertTrue(e.getMessage().contains("threads must be at least 1"), e.getMessage());
  }
}
