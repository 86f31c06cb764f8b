/**
 * Helpers for plugin authors, on top of the contracts in {@link io.seqwatch.spi}: what belongs here
 * is implementation a detector may reuse instead of writing it, never a contract the pipeline calls.
 * {@link io.seqwatch.spi.support.VectorModel} (a base for models over feature vectors: schema
 * checks, reasons, persistence), {@link io.seqwatch.spi.support.Parameters} (the documented binary
 * layout of model parameters), {@link io.seqwatch.spi.support.FeatureStatistics} and
 * {@link io.seqwatch.spi.support.Quantiles} (training statistics behind reasons),
 * {@link io.seqwatch.spi.support.NeighborIndex} (an exact k-d tree),
 * {@link io.seqwatch.spi.support.SurpriseAggregate} and {@link io.seqwatch.spi.support.Typicality}
 * (how a sequence model's per-event surprise becomes a sequence score, shared by the markov and the
 * neural sequence models) and
 * {@link io.seqwatch.spi.support.AlertJson} (the alert JSON line every sink writes). A fix here is
 * not an SPI change.
 */
package io.seqwatch.spi.support;
