package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.spi.support.Typicality;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which of the fine-tuned network's parameters learn, read from the network's own parameter paths
 * (DJL numbers each child block in a path: {@code 02head_weight}): the head always, the top block and
 * the final norm with {@code unfreeze=top}, every encoder parameter with {@code all}, nothing of the
 * encoder with {@code none}. The head once matched no path and never learned.
 */
class FineTuningRatesTest {
  /** An encoder of width 16 with 3 blocks. */
  private static final MaskedEventConfig CONFIG = new MaskedEventConfig(List.of("<pad>", "<mask>", "view", "cart"), 8, 16,
      16, 16, 2, 3, 1, "components", Typicality.UNMEASURED, MaskedEventConfig.UNMEASURED, Map.of());

  @Test
  void theHeadAlwaysLearnsAndTheEncoderAsUnfreezeSays() {
    MaskedEventConfig c = CONFIG;
    EncoderClassifierNet net = new EncoderClassifierNet(c);
    for (String unfreeze : List.of("none", "top", "all")) {
      Map<String, Double> factors = new TreeMap<>();
      net.getParameters().forEach(p -> factors.put(p.getKey(),
          TransformerClassifierDetectorProvider.rateFactor(p.getKey(), unfreeze, c.layers(), 0.1)));
      factors.forEach((path, f) -> {
        boolean head = path.matches("\\d\\dhead_.*");
        boolean top = path.matches("\\d\\dencoder_\\d\\d[a-z0-9_]*_2_.*") || path.matches("\\d\\dencoder_\\d\\dnorm_.*");
        double expected = head ? 1 : switch (unfreeze) {
          case "all" -> 0.1;
          case "top" -> top ? 0.1 : 0;
          default -> 0;
        };
        assertEquals(expected, f, unfreeze + ": " + path + " in " + factors.keySet());
      });
      assertEquals(2, factors.entrySet().stream().filter(e -> e.getValue() == 1).count(), "the head's weight and bias");
      if (unfreeze.equals("top")) { // layer 2 of 3: its norms, attention and feed-forward, and the final norm
        assertEquals(14, factors.values().stream().filter(f -> f == 0.1).count(), factors.toString());
      }
    }
  }

  @Test
  void theAnchorHoldsTheStatesWeightsAndTheEncoderAndFreesTheSummaryAndTheBias() {
    MaskedEventConfig c = CONFIG;
    EncoderClassifierNet net = new EncoderClassifierNet(c);
    net.getParameters().forEach(p -> {
      float[] share = TransformerClassifierDetectorProvider.anchorShare(p.getKey(), c.width());
      if (p.getKey().matches("\\d\\dhead_weight")) { // the states, then the length and the three surprise parts
        float[] expected = new float[c.width() + 1 + EncoderClassifierNet.SURPRISE];
        java.util.Arrays.fill(expected, 0, c.width(), 1f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, share, p.getKey());
      } else if (p.getKey().matches("\\d\\dhead_bias")) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[1], share, p.getKey());
      } else {
        org.junit.jupiter.api.Assertions.assertNull(share, p.getKey() + ": every element of an encoder parameter");
      }
    });
  }

  @Test
  void theStartingBiasCentresTheLogitsBetweenTheClasses() {
    float[][] surprise = {{1, 1, 1}, {1, 2, 0}, {3, 3, 3}, {9, 9, 9}};
    // normal rows 0 and 1 (mean logit 3), anomalous row 2 (9); row 3 is not in the fit
    assertEquals(-6f, EncoderClassifierNet.centring(surprise, new int[] {0, 1, 2}, r -> r == 2), 1e-6);
    assertEquals(0f, EncoderClassifierNet.centring(surprise, new int[] {0, 1}, r -> false), "one class: no centring");
  }
}
