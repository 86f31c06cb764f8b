package io.seqwatch.core.pipeline;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.FeatureExtractor;
import io.seqwatch.spi.FittedSequenceEncoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fitted representation of a pipeline: a feature extractor or a fitted encoder, with the
 * provider name and options that recreate it.
 *
 * @param provider provider name
 * @param options resolved options
 * @param extractor present for vector detectors
 * @param encoder present for sequence detectors
 *     <p>Thread-safety: immutable; {@link #observe} is safe for concurrent use.
 */
record Representations(
    String provider,
    Map<String, String> options,
    Optional<FeatureExtractor> extractor,
    Optional<FittedSequenceEncoder> encoder) {
  Representations {
    options = Map.copyOf(options);
  }

  /** The provider name of a pipeline fitted on a feature table (no extractor, no encoder). */
  static final String TABLE = "table";
  /** The option holding a table's columns, a JSON array of names. */
  static final String COLUMNS = "columns";

  static String columnsOption(List<String> columns) {
    try {
      return BundleStore.json().writeValueAsString(columns);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write column names", e);
    }
  }

  /** Fitted on a feature table rather than on event sequences. */
  boolean isTable() {
    return provider.equals(TABLE);
  }

  /** The table's feature columns, for a table pipeline. */
  List<String> columns() {
    try {
      return List.of(BundleStore.json().readValue(options.getOrDefault(COLUMNS, "[]"), String[].class));
    } catch (java.io.IOException e) {
      throw new io.seqwatch.api.ModelFormatException("the bundle's table columns are not a JSON array of names: "
          + options.get(COLUMNS), e);
    }
  }

  Observation observe(BehaviorSequence s) {
    if (isTable()) {
      throw new io.seqwatch.api.ConfigurationException("this model was trained on a feature table (columns "
          + columns() + "), not on event sequences: score a table with the same columns (FittedPipeline.scoreTable, "
          + "seqwatch score --format features)");
    }
    return new Observation(s.key(), extractor.map(e -> e.extract(s)), encoder.map(e -> e.encode(s)));
  }

  /**
   * The representation of {@code sequences.get(i)}; the behaviour features of a table's sequences are
   * read from its columns without building the sequence (equal to the last bit).
   */
  Observation observe(List<BehaviorSequence> sequences, int i) {
    if (sequences instanceof io.seqwatch.core.prep.TableSequences t && encoder.isEmpty() && !isTable()
        && extractor.isPresent() && extractor.get() instanceof io.seqwatch.core.features.BehaviorFeatureExtractor b) {
      FeatureVector f = b.extract(t, i);
      return new Observation(f.key(), Optional.of(f), Optional.empty()); // the key decoded once
    }
    return observe(sequences.get(i));
  }

  /** The number of events of {@code sequences.get(i)}, without building a table's sequence. */
  static int events(List<BehaviorSequence> sequences, int i) {
    return sequences instanceof io.seqwatch.core.prep.TableSequences t ? t.rowCount(i) : sequences.get(i).size();
  }
}
