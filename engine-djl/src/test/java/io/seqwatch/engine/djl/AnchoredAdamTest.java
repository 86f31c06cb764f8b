package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

/**
 * The anchor of fine-tuning ({@link ResumableAdam#anchored}, L2 towards the starting weights): an
 * anchored weight stays near where it began while the loss pulls it away, an element the mask frees
 * goes where the loss sends it, and without an anchor both do.
 */
class AnchoredAdamTest {
  /** {@code y = 3 x1 + 3 x2} on 16 points, 400 steps; the weights before and after. */
  private static float[] fit(double strength, float[] mask) {
    try (Model m = Model.newInstance("anchor-test", DjlRuntime.device("cpu"), "PyTorch")) {
      m.setBlock(Linear.builder().setUnits(1).build());
      ResumableAdam adam = ResumableAdam.of(m.getBlock(), 0.05f, 0, 0f, 0f)
          .anchored(strength, path -> path.endsWith("weight") ? mask : new float[1]);
      try (Trainer t = m.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
        SeededInitializer.initialize(t, 5, new Shape(16, 2));
        float[] start = m.getBlock().getParameters().get("weight").getArray().toFloatArray();
        float[] x = new float[32];
        float[] y = new float[16];
        for (int i = 0; i < 16; i++) { // the corners of a square: x1 and x2 uncorrelated, so x2's fit needs no x1
          x[2 * i] = (i & 1) == 0 ? 1 : -1;
          x[2 * i + 1] = (i & 2) == 0 ? 1 : -1;
          y[i] = 3 * x[2 * i] + 3 * x[2 * i + 1];
        }
        for (int step = 0; step < 400; step++) {
          try (ai.djl.training.GradientCollector g = t.newGradientCollector();
               ai.djl.ndarray.NDManager bm = m.getNDManager().newSubManager()) {
            NDList in = new NDList(bm.create(x, new Shape(16, 2)));
            g.backward(t.getLoss().evaluate(new NDList(bm.create(y, new Shape(16, 1))), t.forward(in)));
          }
          t.step();
        }
        float[] end = m.getBlock().getParameters().get("weight").getArray().toFloatArray();
        return new float[] {start[0], start[1], end[0], end[1]};
      }
    }
  }

  @Test
  void anAnchoredWeightStaysNearItsStartAndAFreedOneFollowsTheLoss() {
    float[] w = fit(100, new float[] {1, 0});
    assertEquals(w[0], w[2], 0.05, "the anchored weight from " + w[0]);
    assertEquals(3, w[3], 0.1, "the freed weight from " + w[1]);
    float[] free = fit(0, new float[] {1, 0});
    assertEquals(3, free[2], 0.1, "no anchor, from " + free[0]);
    assertEquals(3, free[3], 0.1, "no anchor, from " + free[1]);
    assertTrue(Math.abs(w[0] - 3) > 0.5, "the start is not already the loss's optimum: " + w[0]);
  }

  @Test
  void aStrengthThatIsNoNumberIsRefused() {
    try (Model m = Model.newInstance("anchor-test", DjlRuntime.device("cpu"), "PyTorch")) {
      m.setBlock(Linear.builder().setUnits(1).build());
      ResumableAdam adam = ResumableAdam.of(m.getBlock(), 0.05f, 0, 0f, 0f);
      assertThrows(IllegalArgumentException.class, () -> adam.anchored(Double.NaN, p -> null));
      assertThrows(IllegalArgumentException.class, () -> adam.anchored(-1, p -> null));
    }
  }
}
