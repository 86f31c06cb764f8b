package io.seqwatch.core.io;

import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plain feature table, read by {@link FeatureTableReader}: one row per sample, named numeric
 * columns, for the feature detectors to take as it is (no behaviour extraction). Feature-store
 * exports and the field's reference tables come in this shape.
 *
 * @param schema the feature columns, in file order (key and label columns are not features)
 * @param rows one vector per accepted row, keyed by the key column or by the row's line number
 * @param keyColumn the column the keys came from, if any
 * @param labelColumn a label column that was read past (never a feature, never used for training)
 * @param summary read / accepted / rejected counts ({@code events} counts accepted rows)
 *     <p>Thread-safety: immutable.
 */
public record FeatureTable(FeatureSchema schema, List<FeatureVector> rows, Optional<String> keyColumn,
    Optional<String> labelColumn, ReadSummary summary) {
  public FeatureTable {
    Objects.requireNonNull(schema, "schema");
    rows = List.copyOf(rows);
    Objects.requireNonNull(keyColumn, "keyColumn");
    Objects.requireNonNull(labelColumn, "labelColumn");
    Objects.requireNonNull(summary, "summary");
    for (FeatureVector v : rows) {
      if (!v.schema().equals(schema)) {
        throw new IllegalArgumentException("row '" + v.key() + "' has columns " + v.schema().names()
            + ", the table " + schema.names());
      }
    }
  }

  /** A table of {@code rows} built in code (all share {@code schema}). */
  public static FeatureTable of(FeatureSchema schema, List<FeatureVector> rows) {
    return new FeatureTable(schema, rows, Optional.empty(), Optional.empty(),
        new ReadSummary(rows.size(), rows.size(), 0, 0, rows.size()));
  }
}
