package io.seqwatch.plugin.svm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OneClassSvmTest {
  @Test
  void outsideTheSupportScoresAboveZeroAndTheNuBoundHolds() {
    FeatureSchema xy = new FeatureSchema(List.of("x", "y"));
    Random r = new Random(2);
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      obs.add(Observation.of(new FeatureVector("p" + i, xy, new double[] {r.nextGaussian(), r.nextGaussian()})));
    }
    OneClassSvmDetectorProvider p = new OneClassSvmDetectorProvider();
    Model m = p.create(Options.of(p.options(), Map.of("nu", "0.1"))).fit(TrainingSet.of(obs, 1));
    double center = m.score(Observation.of(new FeatureVector("c", xy, new double[] {0, 0})));
    double far = m.score(Observation.of(new FeatureVector("f", xy, new double[] {6, -6})));
    assertTrue(center < 0 && far > 0, "center " + center + " far " + far);
    long outside = obs.stream().filter(o -> m.score(o) > 0).count();
    assertTrue(outside <= 0.1 * 500 + 10, "training points outside: " + outside + " (nu = 0.1)");
  }
}
