package io.seqwatch.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names of the features in a {@link FeatureVector}, in order.
 *
 * @param names unique, non-blank feature names
 *     <p>Thread-safety: immutable.
 */
public record FeatureSchema(List<String> names) {
  public FeatureSchema {
    names = List.copyOf(names);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String n = Objects.requireNonNull(names.get(i), "feature name");
      if (n.isBlank()) {
        throw new IllegalArgumentException("blank feature name at index " + i);
      }
      if (seen.put(n, i) != null) {
        throw new IllegalArgumentException("duplicate feature name: " + n);
      }
    }
  }

  /** Number of features. */
  public int size() {
    return names.size();
  }

  /** Name of feature {@code i}. */
  public String name(int i) {
    return names.get(i);
  }

  /**
   * Index of a feature.
   *
   * @throws IllegalArgumentException when the name is not in the schema
   */
  public int indexOf(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no feature '" + name + "' in " + names);
    }
    return i;
  }
}
