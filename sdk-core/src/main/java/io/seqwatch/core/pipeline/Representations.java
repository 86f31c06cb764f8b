package io.seqwatch.core.pipeline;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.FeatureExtractor;
import io.seqwatch.spi.FittedSequenceEncoder;
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

  Observation observe(BehaviorSequence s) {
    return new Observation(s.key(), extractor.map(e -> e.extract(s)), encoder.map(e -> e.encode(s)));
  }
}
