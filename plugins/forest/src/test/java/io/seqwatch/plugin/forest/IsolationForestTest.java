package io.seqwatch.plugin.forest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.api.RejectedRecord;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.ReadSummary;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.testkit.SharedData;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsolationForestTest {
  private static final FeatureSchema XY = new FeatureSchema(List.of("x", "y"));

  @TempDir Path tmp;

  private static Model gaussianForest(long seed) {
    Random r = new Random(seed);
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      obs.add(Observation.of(new FeatureVector("p" + i, XY, new double[] {r.nextGaussian(), r.nextGaussian()})));
    }
    IsolationForestDetectorProvider p = new IsolationForestDetectorProvider();
    return p.create(Options.defaults(p.options())).fit(TrainingSet.of(obs, seed));
  }

  private static double score(Model m, double x, double y) {
    return m.score(Observation.of(new FeatureVector("q", XY, new double[] {x, y})));
  }

  @Test
  void pathLengthScoresSeparateOutliersAndNameTheFeature() {
    Model m = gaussianForest(1);
    double inlier = score(m, 0, 0);
    double outlier = score(m, 0, 8);
    assertTrue(inlier < 0.5, "inlier " + inlier);
    assertTrue(outlier > 0.6 && outlier - inlier > 0.15, "outlier " + outlier + " vs inlier " + inlier);
    var reasons = m.explain(Observation.of(new FeatureVector("q", XY, new double[] {0, 8})), 3).contributions();
    assertEquals("y", reasons.get(0).name());
    assertTrue(reasons.get(0).reason().startsWith("y 8 "), reasons.get(0).reason());
  }

  @Test
  void averagePathLengthMatchesThePaper() {
    assertEquals(0, IsolationForestModel.averagePathLength(1));
    assertEquals(1, IsolationForestModel.averagePathLength(2));
    // c(256) = 2 H(255) - 2 * 255 / 256 with H(i) ~ ln(i) + gamma
    assertEquals(2 * (Math.log(255) + 0.5772156649) - 2 * 255.0 / 256, IsolationForestModel.averagePathLength(256), 1e-9);
  }

  @Property(tries = 200)
  void scoresStayInTheUnitInterval(@ForAll @DoubleRange(min = -1e12, max = 1e12) double x,
      @ForAll @DoubleRange(min = -1e12, max = 1e12) double y) {
    double s = score(FOREST, x, y);
    assertTrue(s > 0 && s <= 1, "score " + s);
  }

  private static final Model FOREST = gaussianForest(2);

  @Test
  void realTaobaoSliceEndToEnd() throws IOException {
    Optional<Path> f = SharedData.file("taobao/user_behavior_2h.csv");
    assumeTrue(f.isPresent(), "../shared/data/taobao is absent");
    List<BehaviorEvent> events = new ArrayList<>();
    List<RejectedRecord> rejected = new ArrayList<>();
    ReadSummary s = EventReaders.forFormat("taobao").read(f.get(), events::add, rejected::add);
    assertEquals(s.read(), s.accepted() + s.rejected());
    Pipeline p = Pipeline.builder().detector("isolation-forest").option("trees", "50").threshold("quantile:0.99").build();
    try (FittedPipeline fitted = p.fitEvents(events)) {
      List<Score> scores = fitted.scoreEvents(events);
      assertEquals(58_732, scores.size());
      long flagged = scores.stream().filter(Score::anomalous).count();
      assertTrue(flagged > 300 && flagged < 900, "flagged " + flagged + " of 58,732 at quantile 0.99");
      assertTrue(scores.stream().allMatch(x -> Double.isFinite(x.value())));
      Score top = scores.stream().max(java.util.Comparator.comparingDouble(Score::value)).orElseThrow();
      assertTrue(!top.explanation().contributions().isEmpty(), "the top user has reasons");
      fitted.save(tmp.resolve("m.zip"));
      try (FittedPipeline back = FittedPipeline.load(tmp.resolve("m.zip"))) {
        assertEquals(top.value(), back.score(back.sequences(events).stream()
            .filter(q -> q.key().equals(top.key())).findFirst().orElseThrow()).value());
      }
    }
  }

  @Test
  void optionsAreValidated() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> Pipeline.builder().detector("isolation-forest").options(Map.of("trees", "0")).build());
    assertEquals("option trees=0 is out of range [1, 100000]", e.getMessage());
  }
}
