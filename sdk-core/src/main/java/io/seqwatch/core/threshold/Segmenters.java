package io.seqwatch.core.threshold;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import java.util.function.Function;

/**
 * Segmenters for per-segment thresholds, by name:
 *
 * <ul>
 *   <li>{@code length}: event-count bucket {@code 1}, {@code 2-4}, {@code 5-19}, {@code 20+} (short
 *       sequences score differently from long ones with most detectors);
 *   <li>{@code key-prefix:<separator>}: the part of the sequence key before the first separator, so
 *       keys such as {@code app:123} and {@code web:456} get one threshold per channel (for new vs
 *       returning actors, prefix the actor ids accordingly when loading).
 * </ul>
 *
 * <p>Thread-safety: stateless; the returned functions are pure.
 */
public final class Segmenters {
  private Segmenters() {}

  /**
   * The segmenter a spec names.
   *
   * @throws ConfigurationException for an unknown spec
   */
  public static Function<BehaviorSequence, String> forName(String spec) {
    java.util.function.BiFunction<String, Integer, String> f = byKeyAndSize(spec);
    return s -> f.apply(s.key(), s.size());
  }

  /**
   * The segmenter a spec names, over a sequence's key and number of events (what streaming knows
   * without keeping the events).
   *
   * @throws ConfigurationException for an unknown spec
   */
  public static java.util.function.BiFunction<String, Integer, String> byKeyAndSize(String spec) {
    if (spec.equals("length")) {
      return (key, size) -> size == 1 ? "1" : size < 5 ? "2-4" : size < 20 ? "5-19" : "20+";
    }
    if (spec.startsWith("key-prefix:") && spec.length() > "key-prefix:".length()) {
      String sep = spec.substring("key-prefix:".length());
      return (key, size) -> {
        int i = key.indexOf(sep);
        return i < 0 ? "" : key.substring(0, i);
      };
    }
    throw new ConfigurationException("unknown segmentation '" + spec + "'; use length or key-prefix:<separator>");
  }
}
