package io.seqwatch.core.pipeline;

import io.seqwatch.api.Observation;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.VectorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs per-sequence work (feature extraction, scoring, explanations) on several threads with results
 * in input order, so any number of threads gives the results of one, to the last bit: each element
 * is computed by the same code from the same inputs, and nothing depends on which thread ran it.
 *
 * <p>Thread-safety: stateless; each call uses its own pool.
 */
final class Parallel {
  /** Below this many elements a single thread does the work (a pool costs more than it saves). */
  static final int MIN_PARALLEL = 256;

  private Parallel() {}

  /** Every core of the machine: the default. */
  static int allCores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@code f(0) .. f(n-1)} in order, on up to {@code threads} threads. */
  static <T> List<T> map(int n, int threads, IntFunction<T> f) {
    Object[] out = new Object[n];
    run(n, threads, i -> out[i] = f.apply(i));
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) Arrays.asList(out);
    return new ArrayList<>(list);
  }

  /**
   * The model's scores of {@code obs} in order. Vector models score each row on its own, so their
   * rows are split between threads; other models (neural ones batch their inputs, and a different
   * batch could round differently) score in one call.
   */
  static double[] scoreAll(Model model, List<Observation> obs, int threads) {
    if (!(model instanceof VectorModel) || threads <= 1 || obs.size() < MIN_PARALLEL) {
      return model.scoreAll(obs);
    }
    double[] out = new double[obs.size()];
    run(obs.size(), threads, i -> out[i] = model.score(obs.get(i)));
    return out;
  }

  @FunctionalInterface
  private interface Task {
    void apply(int i);
  }

  private static void run(int n, int threads, Task task) {
    if (threads <= 1 || n < MIN_PARALLEL) {
      for (int i = 0; i < n; i++) {
        task.apply(i);
      }
      return;
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(task::apply)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    } finally {
      pool.shutdown();
    }
  }
}
