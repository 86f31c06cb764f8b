package io.seqwatch.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A feature vector refuses a value that is not finite, naming the feature, wherever it is; finite values stay exact. */
class FeatureVectorTest {
  private static final FeatureSchema SCHEMA = new FeatureSchema(List.of("a", "b", "c"));

  @Test
  void refusesEveryNonFiniteValueByName() {
    double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int at = 0; at < 3; at++) {
      for (double x : bad) {
        double[] v = {1, -0.0, Double.MAX_VALUE};
        v[at] = x;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FeatureVector("k", SCHEMA, v));
        assertEquals("feature " + SCHEMA.name(at) + " of 'k' is not finite: " + x, e.getMessage());
      }
    }
    FeatureVector ok = new FeatureVector("k", SCHEMA, new double[] {-Double.MAX_VALUE, Double.MIN_VALUE, -0.0});
    assertEquals(-Double.MAX_VALUE, ok.get(0));
    assertEquals(Double.MIN_VALUE, ok.get(1));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ok.get(2)));
  }
}
