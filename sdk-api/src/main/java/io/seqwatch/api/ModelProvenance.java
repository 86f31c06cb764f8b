package io.seqwatch.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a trained model came from: detector, its version and options, engine, seed and a summary
 * of the training data.
 *
 * @param detector detector name, for example {@code isolation-forest}
 * @param detectorVersion version of the plugin that trained it
 * @param options resolved options including defaults (held in name order, as is the summary, so that
 *     equal models write equal files)
 * @param engine engine name ({@code jvm} for pure-Java detectors)
 * @param seed random seed used in training
 * @param trainingSummary for example the number of sequences and features
 * @param trainedAt training time
 *     <p>Thread-safety: immutable.
 */
public record ModelProvenance(
    String detector,
    String detectorVersion,
    Map<String, String> options,
    String engine,
    long seed,
    Map<String, String> trainingSummary,
    Instant trainedAt) {
  public ModelProvenance {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(detectorVersion, "detectorVersion");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(trainedAt, "trainedAt");
    options = sorted(options, "options");
    trainingSummary = sorted(trainingSummary, "trainingSummary");
  }

  /** An unmodifiable copy in name order (Map.copyOf's order changes from one JVM to the next). */
  private static Map<String, String> sorted(Map<String, String> map, String name) {
    Objects.requireNonNull(map, name);
    map.forEach((k, v) -> Objects.requireNonNull(v, () -> name + " has no value for " + k));
    return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
