package io.seqwatch.engine.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.seqwatch.api.ConfigurationException;
import java.util.Locale;

/**
 * Loads the PyTorch engine once, lazily, with the thread settings this project measured: one
 * intra-op and one inter-op thread unless {@code ai.djl.pytorch.num_threads} /
 * {@code ai.djl.pytorch.num_interop_threads} are set (on 2 shared cores, 2 threads were up to 10x
 * slower than 1). Tracking is opted out and DJL is kept offline so it never tries to download. The
 * C allocator is set for PyTorch's per-pass arrays first ({@link NativeAllocator}), and oneDNN capped
 * where its AVX-512 LSTM kernels were measured wrong ({@link OneDnnIsa}).
 *
 * <p>Thread-safety: {@link #engine()} is safe from any thread (holder-class initialisation).
 */
final class DjlRuntime {
  /** The engine name detector providers of this module report. */
  static final String ENGINE_NAME = "djl";

  private DjlRuntime() {}

  private static final class Holder {
    static final Engine ENGINE = load();

    private static Engine load() {
      setDefault("ai.djl.pytorch.num_threads", "1");
      setDefault("ai.djl.pytorch.num_interop_threads", "1");
      setDefault("ai.djl.offline", "true");
      setDefault("OPT_OUT_TRACKING", "true");
      NativeAllocator.tune();
      OneDnnIsa.apply();
      try {
        return Engine.getEngine("PyTorch");
      } catch (RuntimeException | LinkageError e) {
        throw new ConfigurationException("the DJL PyTorch engine failed to start: " + e.getMessage()
            + ". Make sure ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu (classifier "
            + "linux-x86_64) are on the class path.", e);
      }
    }

    private static void setDefault(String key, String value) {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    }
  }

  /**
   * Runs inference with PyTorch's grad mode off on the calling thread, restoring it afterwards.
   * Grad mode is thread-local and on by default in new threads, and the LSTM kernels differ between
   * the two modes: pinning it makes a model score identically on any thread.
   */
  static <T> T withoutGrad(java.util.function.Supplier<T> inference) {
    engine();
    boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    try {
      return inference.get();
    } finally {
      ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
    }
  }

  /** The PyTorch engine. */
  static Engine engine() {
    return Holder.ENGINE;
  }

  /**
   * The device for {@code auto}, {@code cpu} or {@code gpu}.
   *
   * @throws ConfigurationException for {@code gpu} without a visible GPU, or an unknown value
   */
  static Device device(String option) {
    engine(); // first: DJL's Device and Engine classes start the default engine before this module's settings
    return switch (option.toLowerCase(Locale.ROOT)) {
      case "cpu" -> Device.cpu();
      case "auto" -> engine().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
      case "gpu" -> {
        if (engine().getGpuCount() == 0) {
          throw new ConfigurationException("device=gpu but DJL sees no GPU (PyTorch " + engine().getVersion()
              + "); use device=auto or cpu, or add the pytorch-native-cu* natives for your CUDA version");
        }
        yield Device.gpu();
      }
      default -> throw new ConfigurationException("device=" + option + " is not auto, cpu or gpu");
    };
  }

  /**
   * A copy, in memory the engine allocated itself, of an array made from a Java buffer (closed).
   * DJL hands a Java buffer to PyTorch as it is (from_blob), at whatever address the direct buffer
   * got, and results depended on it: a transformer fit inside the quality benchmark scored PR-AUC
   * 0.689 with -Xmx4g and 0.595 with -Xmx5g on the same data and seed (0.595 for both with copies).
   * The engine's own allocations are aligned alike every time.
   */
  static ai.djl.ndarray.NDArray owned(ai.djl.ndarray.NDArray fromJava) {
    ai.djl.ndarray.NDArray copy = fromJava.duplicate();
    fromJava.close();
    return copy;
  }

  /**
   * A scalar in memory the engine allocated itself, for arithmetic on arrays that take part in
   * training. Never use {@code NDArray.mul(Number)}, {@code div(Number)} and the like there: DJL makes
   * the scalar from a direct Java buffer (PyTorch's from_blob, no copy) and closes it when the call
   * returns, but autograd keeps the scalar for the backward pass (the gradient of x / c is g / c). Once
   * the garbage collector frees the buffer, the backward pass reads whatever the memory then holds:
   * the transformer's {@code scores / sqrt(d)} turned the gradients of the attention's query and key
   * (and every layer below them) into NaN at a random batch of some fits, depending on when a GC ran.
   */
  static ai.djl.ndarray.NDArray scalar(ai.djl.ndarray.NDManager manager, float value) {
    return owned(manager.create(value));
  }
}
