package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.engine.common.EventFrequencies;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventScorer;
import io.seqwatch.engine.common.MaskedEventScorer.Surprise;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Typicality;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The masked-event score's two sides: a part's mean surprise above the training events' is measured
 * in their standard deviation, a shortfall below it in the spread of the events below the mean
 * (measured on the training events and kept in the bundle; bundles without it keep the old rule).
 */
class ShortfallTest {
  private static MaskedEventConfig config(List<Double> below) {
    return config(below, "components");
  }

  private static MaskedEventConfig config(List<Double> below, String aggregate) {
    return new MaskedEventConfig(List.of("<pad>", "<mask>", "view"), 8, 16, 16, 16, 2, 1, 1, aggregate,
        new Typicality(1, 2), List.of(new Typicality(1, 2), new Typicality(1, 2), new Typicality(1, 2)), below, Map.of(),
        EventFrequencies.NONE);
  }

  /** Four events whose gap surprise is {@code gap} each; action and category at the mean. */
  private static Surprise fourEvents(double gap) {
    Surprise s = new Surprise(4);
    java.util.Arrays.fill(s.parts()[0], 1);
    java.util.Arrays.fill(s.parts()[1], gap);
    java.util.Arrays.fill(s.parts()[2], 1);
    return s;
  }

  @Test
  void aShortfallIsMeasuredInTheSpreadBelowTheMeanAndAnExcessInTheStandardDeviation() {
    MaskedEventConfig c = config(List.of(0.5, 0.5, 0.5));
    // mean 0 against 1: shortfall 1, times sqrt(4), over 0.5 (the standard deviation would give 1)
    assertEquals(4, MaskedEventScorer.partZ(fourEvents(0), c)[1], 1e-12);
    // mean 2 against 1: excess 1, times sqrt(4), over the standard deviation 2
    assertEquals(1, MaskedEventScorer.partZ(fourEvents(2), c)[1], 1e-12);
    assertEquals(0, MaskedEventScorer.partZ(fourEvents(2), c)[0], 1e-12);
    // not measured (a bundle from before): the standard deviation on both sides
    assertEquals(1, MaskedEventScorer.partZ(fourEvents(0), config(List.of()))[1], 1e-12);
    // components-sd: the standard deviation on both sides, the spread below kept but not used
    assertEquals(1, MaskedEventScorer.partZ(fourEvents(0), config(List.of(0.5, 0.5, 0.5), "components-sd"))[1], 1e-12);
    assertEquals(4, MaskedEventScorer.aggregate(fourEvents(0), config(List.of(0.5, 0.5, 0.5), "components")), 1e-12,
        "the parts' z summed: action 0, gap 4, category 0");
    // a spread below wider than the standard deviation never makes a shortfall count for less
    assertEquals(1, MaskedEventScorer.partZ(fourEvents(0), config(List.of(3.0, 3.0, 3.0)))[1], 1e-12);
  }

  @Test
  void measuringTakesTheRootMeanSquareOfTheShortfalls() {
    Surprise a = new Surprise(4);
    a.parts()[1][0] = 0;
    a.parts()[1][1] = 0;
    a.parts()[1][2] = 2;
    a.parts()[1][3] = 6; // gap part: mean 2, below it 0 and 0 (shortfall 2 each)
    MaskedEventConfig c = MaskedEventScorer.measured(config(List.of()), List.of(a));
    assertEquals(2, c.parts().get(1).mean(), 1e-12);
    assertEquals(2, c.below().get(1), 1e-12);
    assertEquals(0, c.below().get(0), 1e-12, "nothing below the mean");
  }

  @Test
  void theSpreadBelowTravelsWithTheBundleAndOldBundlesReadWithoutIt() throws IOException {
    MaskedEventConfig c = config(List.of(0.25, 0.5, 0.75));
    assertEquals(c.below(), roundTrip(c).below());
    assertEquals(List.of(), roundTrip(config(List.of())).below());
    assertThrows(IllegalArgumentException.class, () -> config(List.of(0.5, Double.NaN, 0.5)));
    assertThrows(IllegalArgumentException.class, () -> config(List.of(0.5)));
  }

  /** {@code c} written to a settings file and read back. */
  static MaskedEventConfig roundTrip(MaskedEventConfig c) throws IOException {
    Parameters.Builder b = Parameters.builder();
    c.writeTo(b);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.build().write(out);
    return MaskedEventConfig.readFrom(Parameters.read(new ByteArrayInputStream(out.toByteArray())));
  }
}
