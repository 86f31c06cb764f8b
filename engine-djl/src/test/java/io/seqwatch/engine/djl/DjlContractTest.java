package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqwatch.testkit.DetectorContractTest;

/**
 * The detector contract for this module's detectors, with PyTorch's process-wide generator drawn
 * from and reseeded between two fits of equal seeds: a fit must not depend on it.
 */
abstract class DjlContractTest extends DetectorContractTest {
  @Override
  protected void disturbSharedState() {
    disturbEngineGenerator();
  }

  /** Reseeds PyTorch's process-wide generator and draws from it, as other code in a JVM may. */
  static void disturbEngineGenerator() {
    DjlRuntime.engine().setRandomSeed(12_345);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray drawn = m.randomUniform(0, 1, new Shape(1_000));
      drawn.add(m.randomNormal(new Shape(1_000))).sum().getFloat();
    }
  }
}
