package io.seqwatch.bench;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fit + batch score of a detector on 1 and on N threads, alternating runs, medians and the load:
 * what {@code --threads} buys on this machine, and a check that every run's scores are identical.
 *
 * <p>Usage: {@code ThreadsBenchmark [detector=isolation-forest] [users=40000] [threads=2] [runs=3]}.
 * Thread-safety: a command-line program.
 */
public final class ThreadsBenchmark {
  private ThreadsBenchmark() {}

  public static void main(String[] args) throws Exception {
    String detector = args.length > 0 ? args[0] : "isolation-forest";
    int users = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    SimulatedData d = Simulator.builder().users(users).seed(7).build().generate();
    List<BehaviorSequence> seqs = Pipeline.builder().detector(detector).build().sequences(d.events());
    System.out.printf(Locale.ROOT, "%s: %,d sequences (%,d simulated events); %d cores%n", detector, seqs.size(),
        d.events().size(), Runtime.getRuntime().availableProcessors());
    double[][] fit = new double[2][runs];
    double[][] score = new double[2][runs];
    List<Score> reference = null;
    for (int r = 0; r < runs + 1; r++) { // the first round warms the JIT and is not counted
      for (int k = 0; k < 2; k++) {
        int t = k == 0 ? 1 : threads;
        long t0 = System.nanoTime();
        try (FittedPipeline p = Pipeline.builder().detector(detector).threads(t).build().fit(seqs)) {
          long t1 = System.nanoTime();
          List<Score> s = p.score(seqs, t);
          long t2 = System.nanoTime();
          if (reference == null) {
            reference = s;
          } else if (!reference.equals(s)) {
            throw new IllegalStateException("scores on " + t + " threads differ from one thread's");
          }
          if (r > 0) {
            fit[k][r - 1] = (t1 - t0) / 1e9;
            score[k][r - 1] = (t2 - t1) / 1e9;
          }
          System.out.printf(Locale.ROOT, "round %d, %d thread(s): fit %.2f s, score %.2f s, load %s%n", r, t,
              (t1 - t0) / 1e9, (t2 - t1) / 1e9, load());
        }
      }
    }
    double f1 = median(fit[0]);
    double fn = median(fit[1]);
    double s1 = median(score[0]);
    double sn = median(score[1]);
    System.out.printf(Locale.ROOT, "%nmedians of %d alternating runs: 1 thread fit %.2f s + score %.2f s; %d threads "
        + "fit %.2f s + score %.2f s; fit+score %.2fx, score %.2fx; scores identical in every run%n", runs, f1, s1,
        threads, fn, sn, (f1 + s1) / (fn + sn), s1 / sn);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
