package io.seqwatch.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Why a sequence got its score: the top contributions, most important first.
 *
 * @param contributions ordered by decreasing weight
 *     <p>Thread-safety: immutable.
 */
public record Explanation(List<Contribution> contributions) {
  /** An explanation with no contributions. */
  public static final Explanation NONE = new Explanation(List.of());

  public Explanation {
    contributions = List.copyOf(Objects.requireNonNull(contributions, "contributions"));
  }

  /** The reasons joined with {@code "; "}, for one CSV cell or alert line. */
  public String summary() {
    return contributions.stream().map(Contribution::reason).collect(Collectors.joining("; "));
  }
}
