package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.engine.common.EventFrequencies;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventScorer;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Typicality;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The context-free part of the masked-event score: shares of actions, gaps and categories among the
 * training events, add-one smoothed, and the typical-set z of a sequence's mean surprise under them.
 */
class EventFrequenciesTest {
  /** Tokens pad, unknown, view, cart; 8 gap buckets; 4 category buckets. */
  private static final MaskedEventConfig CONFIG = new MaskedEventConfig(List.of("<pad>", "<unk>", "view", "cart"), 8, 4,
      16, 16, 2, 1, 4, "components", Typicality.UNMEASURED, MaskedEventConfig.UNMEASURED, Map.of());

  /** A sequence of {@code n} events of one token, gap bucket and category. */
  private static EncodedSequence same(String key, int n, int token, int gap, int category) {
    int[] tokens = new int[n];
    int[] gaps = new int[n];
    int[] cats = new int[n];
    Arrays.fill(tokens, token);
    Arrays.fill(gaps, gap);
    Arrays.fill(cats, category);
    double[] prices = new double[n];
    Arrays.fill(prices, Double.NaN);
    return new EncodedSequence(key, tokens, gaps, cats, prices);
  }

  /** People: 30 sequences of views 5-30 s apart (bucket 3), one in ten a cart; no categories. */
  private static List<EncodedSequence> people() {
    List<EncodedSequence> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int[] tokens = new int[10];
      int[] gaps = new int[10];
      for (int j = 0; j < 10; j++) {
        tokens[j] = j == 9 ? 3 : 2;
        gaps[j] = j == 0 ? 0 : j % 3 == 0 ? 4 : 3;
      }
      double[] prices = new double[10];
      Arrays.fill(prices, Double.NaN);
      out.add(new EncodedSequence("p" + i, tokens, gaps, new int[10], prices));
    }
    return out;
  }

  @Test
  void aValuesSurpriseIsMinusTheLogOfItsAddOneShare() {
    EventFrequencies f = EventFrequencies.measure(people(), CONFIG, null);
    assertTrue(f.measured());
    // 300 events: 270 views, 30 carts; 4 tokens smooth the total to 304
    assertArrayEquals(new double[] {-Math.log(271.0 / 304), -Math.log(181.0 / 308), -Math.log(301.0 / 304)},
        f.meanSurprise(same("v", 3, 2, 3, 0), CONFIG, null), 1e-12, "three views 5-30 s apart without a category");
    double[] cart = f.meanSurprise(same("c", 2, 3, 3, 0), CONFIG, null);
    assertEquals(-Math.log(31.0 / 304), cart[0], 1e-12);
    // gaps: 30 starts, 90 of bucket 4, 180 of bucket 3, over 300 + 8 buckets
    assertEquals(-Math.log(181.0 / 308), cart[1], 1e-12);
    // categories: all 300 absent (0), over 300 + 4 buckets
    assertEquals(-Math.log(301.0 / 304), cart[2], 1e-12);
  }

  @Test
  void rareValuesAndOnlyCommonValuesBothStandOutAndTheZGrowsWithTheSquareRootOfTheLength() {
    EventFrequencies f = EventFrequencies.measure(people(), CONFIG, null);
    double[] person = f.z(people().get(0), CONFIG, null);
    double[] carts = f.z(same("carts", 10, 3, 3, 0), CONFIG, null);
    double[] machine = f.z(same("fast", 10, 2, 2, 0), CONFIG, null); // a gap bucket people never had
    double[] steady = f.z(same("steady", 10, 2, 3, 0), CONFIG, null); // only people's commonest gap
    assertTrue(carts[0] > 3 * Math.max(person[0], 0.1), Arrays.toString(carts) + " vs " + Arrays.toString(person));
    assertTrue(machine[1] > 3 * Math.max(person[1], 0.1), Arrays.toString(machine) + " vs " + Arrays.toString(person));
    assertTrue(steady[1] > person[1], "only the commonest gap is a shortfall: " + Arrays.toString(steady));
    double[] longer = f.z(same("fast", 40, 2, 2, 0), CONFIG, null);
    assertEquals(2 * machine[1], longer[1], 1e-9, "four times the events, twice the z");
    // a shortfall measured in the standard deviation (components-sd) is never larger
    assertTrue(f.z(same("steady", 10, 2, 3, 0), CONFIG.withScoring(CONFIG.passes(), "components-sd"), null)[1] <= steady[1]);
  }

  @Test
  void aPartThatNeverVariedKeepsASpreadSoAnUnseenValueScoresFinite() {
    EventFrequencies f = EventFrequencies.measure(people(), CONFIG, null);
    assertTrue(f.typical(2).std() > 0, "categories were all absent: " + f.typical(2));
    double[] usual = f.z(same("usual", 10, 2, 3, 0), CONFIG, null);
    double[] unseen = f.z(same("new", 10, 2, 3, 1), CONFIG, null);
    assertEquals(0, usual[2], 1e-6, "the only value seen");
    assertTrue(Double.isFinite(unseen[2]) && unseen[2] > 5, "a category never seen: " + unseen[2]);
  }

  @Test
  void tokensAreCountedAsTheNetworkSeesThemThroughTheTokenMap() {
    // the encoder's token 2 is the network's 3 and its 3 the network's 2; ids beyond the map are unknown
    int[] map = {0, 1, 3, 2};
    EventFrequencies mapped = EventFrequencies.measure(people(), CONFIG, map);
    EventFrequencies plain = EventFrequencies.measure(people(), CONFIG, null);
    assertEquals(plain.meanSurprise(same("v", 1, 2, 3, 0), CONFIG, null)[0],
        mapped.meanSurprise(same("v", 1, 2, 3, 0), CONFIG, map)[0], 1e-12);
    assertEquals(-Math.log(1.0 / 304), mapped.meanSurprise(same("x", 1, 9, 3, 0), CONFIG, map)[0], 1e-12,
        "a token beyond the map is the unknown id, never seen in training");
  }

  @Test
  void theFineTuningHeadReadsEachPartGivenTheContextAndAlone() {
    MaskedEventConfig measured = CONFIG.withFrequencies(EventFrequencies.measure(people(), CONFIG, null));
    MaskedEventScorer.Surprise context = new MaskedEventScorer.Surprise(10);
    Arrays.fill(context.parts()[1], 2.0); // the gaps surprising given their neighbours too
    MaskedEventConfig typical = MaskedEventScorer.measured(measured, List.of(new MaskedEventScorer.Surprise(10)));
    EncodedSequence fast = same("fast", 10, 2, 2, 0);
    double[] given = MaskedEventScorer.partZ(context, typical);
    double[] alone = typical.frequencies().z(fast, typical, null);
    assertTrue(given[1] > 0 && alone[1] > 0, Arrays.toString(given) + " " + Arrays.toString(alone));
    float[] head = TransformerClassifierDetectorProvider.features(List.of(context), List.of(fast), typical, null)[0];
    for (int p = 0; p < 3; p++) {
      assertEquals((float) Math.log1p(given[p] + alone[p]), head[p], 1e-6f, "part " + p);
    }
    // a bundle from before the counts: the context's z alone, as its head was trained
    MaskedEventConfig old = typical.withFrequencies(EventFrequencies.NONE);
    float[] before = TransformerClassifierDetectorProvider.features(List.of(context), List.of(fast), old, null)[0];
    assertEquals((float) Math.log1p(given[1]), before[1], 1e-6f);
  }

  @Test
  void frequenciesTravelWithTheSettingsAndOldOrDamagedFilesAreHandled() throws IOException {
    MaskedEventConfig c = CONFIG.withFrequencies(EventFrequencies.measure(people(), CONFIG, null));
    MaskedEventConfig back = readBack(write(c));
    assertEquals(c.frequencies(), back.frequencies());
    assertArrayEquals(c.frequencies().z(same("s", 7, 3, 2, 1), c, null),
        back.frequencies().z(same("s", 7, 3, 2, 1), back, null), 0);
    // settings written before frequencies were measured read as none, and score the context alone
    MaskedEventConfig old = readBack(write(CONFIG));
    assertSame(EventFrequencies.NONE, old.frequencies());
    assertFalse(old.frequencies().measured());
    assertArrayEquals(new double[3], old.frequencies().z(same("s", 7, 3, 2, 1), old, null), 0);
    // a table of the wrong length: refused, naming it
    Parameters.Builder b = damaged(new double[] {1, 2, 3});
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> readBack(b.build()));
    assertTrue(e.getMessage().contains("context-free-gap has 3 values") && e.getMessage().contains("8 values of the network"),
        e.getMessage());
    double[] nan = new double[8];
    nan[5] = Double.NaN;
    e = assertThrows(ModelFormatException.class, () -> readBack(damaged(nan).build()));
    assertTrue(e.getMessage().contains("not a finite surprise"), e.getMessage());
    // nor can settings be built with frequencies of another network's shape
    MaskedEventConfig wider = new MaskedEventConfig(List.of("<pad>", "<unk>", "view", "cart", "buy"), 8, 4, 16, 16, 2, 1,
        4, "components", Typicality.UNMEASURED, MaskedEventConfig.UNMEASURED, Map.of());
    assertThrows(IllegalArgumentException.class,
        () -> CONFIG.withFrequencies(EventFrequencies.measure(people(), wider, null)));
  }

  /** {@link #CONFIG}'s settings with context-free tables as measured, but {@code gap} for the gap's. */
  private static Parameters.Builder damaged(double[] gap) {
    Parameters measured = write(CONFIG.withFrequencies(EventFrequencies.measure(people(), CONFIG, null)));
    Parameters.Builder b = Parameters.builder();
    CONFIG.writeTo(b);
    for (String part : List.of("action", "gap", "category")) {
      b.put("context-free-" + part, part.equals("gap") ? gap : measured.doubles("context-free-" + part));
      b.put("context-free-" + part + "-typical", measured.doubles("context-free-" + part + "-typical"));
    }
    return b;
  }

  private static Parameters write(MaskedEventConfig c) {
    Parameters.Builder b = Parameters.builder();
    c.writeTo(b);
    return b.build();
  }

  private static MaskedEventConfig readBack(Parameters p) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.write(out);
    return MaskedEventConfig.readFrom(Parameters.read(new ByteArrayInputStream(out.toByteArray())));
  }
}
