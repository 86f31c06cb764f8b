package io.seqwatch.core.pipeline;

import io.seqwatch.api.Observation;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.VectorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs per-sequence work (feature extraction, scoring, explanations) on several threads with results
 * in input order, so any number of threads gives the results of one, to the last bit: each element
 * is computed by the same code from the same inputs, and nothing depends on which thread ran it.
 *
 * <p>Thread-safety: stateless; each call starts its own threads and joins them before it returns.
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
   * The model's scores of {@code obs} in order. Models that score each row on its own ({@link
   * #rowWise}) have their rows split between threads; other models (neural ones batch their
   * inputs, and a different batch could round differently) score in one call.
   */
  static double[] scoreAll(Model model, List<Observation> obs, int threads) {
    if (!rowWise(model) || threads <= 1 || obs.size() < MIN_PARALLEL) {
      return model.scoreAll(obs);
    }
    // blocks of rows, each scored in one call (a forest walks each tree for the whole block)
    double[] out = new double[obs.size()];
    int blocks = (obs.size() + ROWS - 1) / ROWS;
    run(blocks, threads, 2, 1, k -> {
      int from = k * ROWS;
      double[] s = model.scoreAll(obs.subList(from, Math.min(obs.size(), from + ROWS)));
      System.arraycopy(s, 0, out, from, s.length);
    });
    return out;
  }

  /** Rows per block a thread scores in one call. */
  private static final int ROWS = 512;

  /**
   * Whether {@code model} scores each observation on its own, so any split of its input gives the
   * same scores: a vector model (its batch path must equal its single one), or any model that keeps
   * {@link Model#scoreAll}'s default, which scores one by one. Neural models override it to batch.
   */
  static boolean rowWise(Model model) {
    if (model instanceof VectorModel) {
      return true;
    }
    try {
      return model.getClass().getMethod("scoreAll", List.class).getDeclaringClass() == Model.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @FunctionalInterface
  private interface Task {
    void apply(int i);
  }

  /**
   * Runs {@code task(0..n-1)} on the caller and {@code threads - 1} plain worker threads that take
   * chunks of indices from a shared counter. Every worker catches what it throws (an {@code
   * OutOfMemoryError} included) and the caller joins them all, then rethrows the first failure: a
   * worker that dies can never leave the caller waiting (a fork-join pool whose workers died of an
   * out-of-memory error left its task unfinished, and {@code train} hung instead of printing the
   * out-of-memory hint).
   */
  private static void run(int n, int threads, Task task) {
    run(n, threads, MIN_PARALLEL, Math.max(16, n / (Math.min(threads, Math.max(n, 1)) * 8)), task);
  }

  /**
   * As {@link #run(int, int, Task)}, on one thread below {@code minParallel} tasks; threads take
   * {@code chunk} tasks at a time.
   */
  private static void run(int n, int threads, int minParallel, int chunk, Task task) {
    if (threads <= 1 || n < minParallel) {
      for (int i = 0; i < n; i++) {
        task.apply(i);
      }
      return;
    }
    int workers = Math.min(threads, n) - 1;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable work = () -> {
      try {
        for (int from = next.getAndAdd(chunk); from < n && failure.get() == null; from = next.getAndAdd(chunk)) {
          int to = Math.min(n, from + chunk);
          for (int i = from; i < to; i++) {
            task.apply(i);
          }
          done.getAndAdd(to - from);
        }
      } catch (Throwable e) { // recorded for the caller, whatever it is
        failure.compareAndSet(null, e);
      }
    };
    // with the heap exhausted even the catch above can fail; the handler then records the error
    // without printing it (the caller reports it), and the count of finished elements tells the
    // caller that work is missing even when nothing could be recorded
    Thread.UncaughtExceptionHandler quiet = (t, e) -> failure.compareAndSet(null, e);
    List<Thread> started = new ArrayList<>(workers);
    try {
      for (int k = 0; k < workers; k++) {
        Thread t = new Thread(work, "seqwatch-parallel-" + k);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(quiet);
        t.start();
        started.add(t);
      }
      work.run(); // the caller takes chunks too
    } finally {
      boolean interrupted = false;
      for (Thread t : started) {
        while (true) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
            failure.compareAndSet(null, new IllegalStateException("interrupted while scoring", e));
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
    if (f != null) {
      throw new IllegalStateException(f);
    }
    if (done.get() != n) { // a worker died without a trace: only an exhausted heap does that
      throw new OutOfMemoryError("a worker thread failed without recording why (" + (n - done.get()) + " of " + n
          + " elements not computed)");
    }
  }
}
