package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Why training code divides and multiplies by {@link DjlRuntime#scalar}, never by a Java number.
 * DJL turns {@code x.div(4)} into a tensor over a direct Java buffer (no copy) and closes it when
 * the call returns; autograd reads the divisor again in the backward pass. Here the buffer is
 * overwritten by hand between the two passes, as the allocator may do once the garbage collector
 * has freed it: the gradient through the Java-buffer scalar turns NaN, the one through the
 * engine-owned scalar stays 1/4. (The transformer's attention scaling hit exactly this at random
 * batches of some fits, NaN-ing every weight below the attention's query and key.)
 */
class ScalarLifetimeTest {
  @Test
  void theBackwardPassReadsAJavaBufferScalarAgainButNotAnEngineOwnedOne() {
    DjlRuntime.engine();
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      buffer.putFloat(0, 4f);
      NDArray javaScalar = m.create(buffer, new Shape(), DataType.FLOAT32); // as DJL's div(Number) makes it
      NDArray owned = DjlRuntime.scalar(m, 4f);
      NDArray a = m.create(new float[] {1f, 2f, 3f});
      NDArray b = m.create(new float[] {1f, 2f, 3f});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
        NDArray y = a.div(javaScalar).sum().add(b.div(owned).sum());
        assertArrayEquals(new float[] {3f}, new float[] {y.getFloat()}, 0f, "the forward pass is right");
        buffer.putFloat(0, Float.NaN); // the freed buffer's memory, reused
        gc.backward(y);
      }
      assertTrue(a.getGradient().isNaN().all().getBoolean(), "autograd read the Java buffer again");
      assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, b.getGradient().toFloatArray(), 0f);
    }
  }
}
