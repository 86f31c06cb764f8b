package io.seqwatch.core.eval;

import io.seqwatch.api.BehaviorSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * A train / test split by sequence key, half and half: a pure function of the key, so the same data
 * splits the same way whatever its order or which process splits it (the demo and the benchmarks
 * use it). For k folds with stratified labels, see {@link CrossValidation}.
 *
 * <p>Thread-safety: stateless.
 */
public final class HoldOut {
  private HoldOut() {}

  /** Training and test sequences, each in input order. */
  public record Split(List<BehaviorSequence> train, List<BehaviorSequence> test) {
    public Split {
      train = List.copyOf(train);
      test = List.copyOf(test);
    }
  }

  /** Whether the sequence with {@code key} is in the training half. */
  public static boolean trains(String key) {
    return Math.floorMod(key.hashCode(), 2) == 0;
  }

  /** The sequences split by {@link #trains}. */
  public static Split halves(List<BehaviorSequence> sequences) {
    List<BehaviorSequence> train = new ArrayList<>();
    List<BehaviorSequence> test = new ArrayList<>();
    for (BehaviorSequence s : sequences) {
      (trains(s.key()) ? train : test).add(s);
    }
    return new Split(train, test);
  }
}
