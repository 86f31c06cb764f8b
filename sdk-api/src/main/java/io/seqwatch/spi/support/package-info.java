/**
 * Helpers for plugin authors, on top of the contracts in {@link io.seqwatch.spi}: what belongs here
 * is implementation a detector may reuse instead of writing it, never a contract the pipeline calls.
 * {@link io.seqwatch.spi.support.VectorModel} (a base for models over feature vectors: schema
 * checks, reasons, persistence), {@link io.seqwatch.spi.support.Parameters} (the documented binary
 * layout of model parameters), {@link io.seqwatch.spi.support.FeatureStatistics} and
 * {@link io.seqwatch.spi.support.Quantiles} (training statistics behind reasons),
 * {@link io.seqwatch.spi.support.NeighborIndex} (an exact k-d tree) and
 * {@link io.seqwatch.spi.support.AlertJson} (the alert JSON line every sink writes). A fix here is
 * not an SPI change.
 */
package io.seqwatch.spi.support;
