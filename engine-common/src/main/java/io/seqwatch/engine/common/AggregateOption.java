package io.seqwatch.engine.common;

import io.seqwatch.spi.support.SurpriseAggregate;

/**
 * The neural sequence models' {@code aggregate} option values and the shared rule each stands for:
 * {@code max}, {@code mean}, {@code misses}, {@code combined} and {@code typicality} (the typical-set
 * test).
 *
 * <p>Thread-safety: stateless.
 */
final class AggregateOption {
  private AggregateOption() {}

  static SurpriseAggregate rule(String aggregate) {
    return switch (aggregate) {
      case "max" -> SurpriseAggregate.MAX;
      case "mean" -> SurpriseAggregate.MEAN;
      case "misses" -> SurpriseAggregate.MISSES;
      case "combined" -> SurpriseAggregate.COMBINED;
      case "typicality" -> SurpriseAggregate.TYPICAL_SET;
      default -> throw new IllegalArgumentException("aggregate=" + aggregate + " is not one of "
          + NextActionConfig.AGGREGATES);
    };
  }
}
