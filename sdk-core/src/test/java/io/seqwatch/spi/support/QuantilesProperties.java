package io.seqwatch.spi.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/** Quantiles by selection are exactly the quantiles of the sorted values. */
class QuantilesProperties {
  private static final double[] QS = {0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1};

  @Property(tries = 400)
  void selectionGivesTheValuesOfSorting(@ForAll("values") double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] expected = new double[QS.length];
    for (int i = 0; i < QS.length; i++) {
      expected[i] = Quantiles.ofSorted(sorted, QS[i]);
    }
    for (boolean radix : new boolean[] {false, true}) { // selection alone; 16-bit buckets first
      double[] scratch = values.clone();
      double[] got = Quantiles.ofUnordered(radix, scratch, QS);
      for (int i = 0; i < QS.length; i++) { // bit for bit: -0.0 is not 0.0 here
        assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(got[i]),
            "q=" + QS[i] + (radix ? " by buckets" : " by selection") + " of " + Arrays.toString(values));
      }
      double[] reordered = scratch.clone();
      Arrays.sort(reordered);
      assertArrayEquals(sorted, reordered, "the scratch holds the same values");
    }
    assertEquals(Double.doubleToLongBits(expected[3]), Double.doubleToLongBits(Quantiles.of(values, 0.5)));
  }

  @Provide
  Arbitrary<double[]> values() {
    // few distinct values (counts and shares), signed zeros, infinities and NaN among ordinary ones
    Arbitrary<Double> value = Arbitraries.oneOf(
        Arbitraries.of(0.0, -0.0, 1.0, 2.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
        Arbitraries.integers().between(-3, 3).map(Integer::doubleValue),
        Arbitraries.doubles().between(-1e6, 1e6));
    return value.array(double[].class).ofMinSize(1).ofMaxSize(400);
  }

  @Example
  void largeRunsOfOneValueAndSortedInputs() {
    double[] same = new double[200_000];
    double[] ascending = new double[200_000];
    for (int i = 0; i < ascending.length; i++) {
      ascending[i] = i;
    }
    assertArrayEquals(new double[] {0, 0, 0}, Quantiles.ofUnordered(same, 0.25, 0.5, 0.75));
    assertArrayEquals(new double[] {49_999.75, 99_999.5, 149_999.25}, Quantiles.ofUnordered(ascending, 0.25, 0.5, 0.75));
    assertArrayEquals(new double[] {49_999.75, 99_999.5, 149_999.25},
        Quantiles.ofUnordered(false, ascending.clone(), 0.25, 0.5, 0.75));
  }

  @Example
  void emptyValuesAndBadQuantilesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Quantiles.ofUnordered(new double[0], 0.5));
    assertThrows(IllegalArgumentException.class, () -> Quantiles.ofUnordered(new double[] {1}, 1.5));
    assertThrows(IllegalArgumentException.class, () -> Quantiles.ofUnordered(new double[] {1}, Double.NaN));
  }
}
