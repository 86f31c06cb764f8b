package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The DJL detectors' one training loop: early stopping keeps the best epoch, a diverging batch never
 * updates the weights, several trainers step per batch in order, and every row is seen once per epoch.
 */
class TrainingLoopTest {
  private static final float[] XS = {0, 1, 2, 3, 4, 5, 6, 7};

  /** A one-weight linear model {@code y = w x + b} fitted to {@code y = 2x}. */
  private static Model linear() {
    Model m = Model.newInstance("loop-test", DjlRuntime.device("cpu"), "PyTorch");
    m.setBlock(Linear.builder().setUnits(1).build());
    return m;
  }

  private static Trainer trainer(Model m, float rate) {
    Trainer t = m.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(TrainingLoop.adam(rate, 0, 0, 0)));
    SeededInitializer.initialize(t, 7, new Shape(2, 1));
    return t;
  }

  private static NDList batch(ai.djl.ndarray.NDManager bm, int[] rows) {
    float[] x = new float[rows.length];
    float[] y = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      x[i] = XS[rows[i]];
      y[i] = 2 * XS[rows[i]];
    }
    return new NDList(bm.create(x, new Shape(rows.length, 1)), bm.create(y, new Shape(rows.length, 1)));
  }

  private static float[] weights(Block b) {
    List<Float> w = new ArrayList<>();
    b.getParameters().values().forEach(p -> {
      for (float f : p.getArray().toFloatArray()) {
        w.add(f);
      }
    });
    float[] out = new float[w.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = w.get(i);
    }
    return out;
  }

  @Test
  void earlyStoppingEndsAfterPatienceAndRestoresTheBestEpoch() {
    double[] validation = {3.0, 2.0, 2.5, 2.0, 1.0};
    List<String> lines = new ArrayList<>();
    List<Integer> restored = new ArrayList<>();
    int[] epoch = {0};
    try (Model m = linear(); Trainer t = trainer(m, 0.01f)) {
      TrainingLoop.Result r = TrainingLoop.<NDList>over(XS.length, 3, 10, new Random(1))
          .inputs(TrainingLoopTest::batch)
          .step(t, (tr, bm, xy) -> tr.getLoss().evaluate(new NDList(xy.get(1)), tr.forward(new NDList(xy.get(0)))))
          .validate(train -> validation[epoch[0]++], 2, new TrainingLoop.Checkpoint() {
            @Override
            public byte[] save() {
              return new byte[] {(byte) epoch[0]};
            }

            @Override
            public void restore(byte[] weights) {
              restored.add((int) weights[0]);
            }
          })
          .progress((step, total, message) -> lines.add(step + "/" + total + " " + message),
              e -> String.format(java.util.Locale.ROOT, "validation %.1f", e.validation()))
          .run();
      // epoch 2 improved on 3.0; 2.5 and 2.0 (not below 2.0 - 1e-4) are two epochs without improvement
      assertEquals(4, r.epochsRun());
      assertEquals(2.0, r.bestValidation());
      assertEquals(List.of(2), restored, "the weights saved after epoch 2 come back");
      assertEquals(List.of("1/10 validation 3.0", "2/10 validation 2.0", "3/10 validation 2.5", "4/10 validation 2.0"),
          lines);
    }
  }

  @Test
  void aNonFiniteLossEndsTheAttemptBeforeAnyUpdateFromItsBatch() {
    try (Model m = linear(); Trainer t = trainer(m, 0.1f)) {
      int[] batches = {0};
      float[][] before = new float[1][];
      DivergenceGuard.Diverged d = assertThrows(DivergenceGuard.Diverged.class, () -> TrainingLoop.<NDList>over(XS.length, 4, 3,
          new Random(1))
          .inputs(TrainingLoopTest::batch)
          .step(t, (tr, bm, xy) -> {
            NDArray loss = tr.getLoss().evaluate(new NDList(xy.get(1)), tr.forward(new NDList(xy.get(0))));
            if (++batches[0] == 4) { // the second epoch's second batch
              before[0] = weights(m.getBlock());
              return loss.mul(Float.NaN);
            }
            return loss;
          })
          .run());
      assertEquals(2, d.epoch);
      assertTrue(Double.isNaN(d.loss));
      assertArrayEquals(before[0], weights(m.getBlock()), "the diverging batch changed no weight");
    }
  }

  @Test
  void everyRowOncePerEpochAndTheStepsOfABatchInOrder() {
    try (Model a = linear(); Model b = linear(); Trainer ta = trainer(a, 0.01f); Trainer tb = trainer(b, 0.01f)) {
      List<String> calls = new ArrayList<>();
      List<Integer> seen = new ArrayList<>();
      TrainingLoop.Result r = TrainingLoop.<NDList>over(new int[] {0, 1, 2, 3, 4, 4}, 4, 2, new Random(3))
          .inputs((bm, rows) -> {
            for (int row : rows) {
              seen.add(row);
            }
            return batch(bm, rows);
          })
          .step(ta, (tr, bm, xy) -> {
            calls.add("a" + xy.get(0).getShape().get(0));
            return tr.getLoss().evaluate(new NDList(xy.get(1)), tr.forward(new NDList(xy.get(0))));
          })
          .step(tb, (tr, bm, xy) -> {
            calls.add("b" + xy.get(0).getShape().get(0));
            return tr.getLoss().evaluate(new NDList(xy.get(0)), tr.forward(new NDList(xy.get(0)))); // fits y = x
          })
          .run();
      assertEquals(2, r.epochsRun());
      assertTrue(Double.isNaN(r.bestValidation()), "no validation");
      assertEquals(List.of("a4", "b4", "a2", "b2", "a4", "b4", "a2", "b2"), calls);
      List<Integer> firstEpoch = new ArrayList<>(seen.subList(0, 6));
      firstEpoch.sort(null);
      assertEquals(List.of(0, 1, 2, 3, 4, 4), firstEpoch, "a row listed twice is trained twice");
      assertTrue(!java.util.Arrays.equals(weights(a.getBlock()), weights(b.getBlock())), "each trainer steps its own loss");
    }
  }
}
