/**
 * Engine-neutral parts of the neural detectors, shared by {@code seqwatch-engine-djl} and {@code
 * seqwatch-engine-onnx}: next-event {@link io.seqwatch.engine.common.Windows}, the persisted {@link
 * io.seqwatch.engine.common.NextActionConfig} and {@link io.seqwatch.engine.common.NextActionScorer}, which
 * turns an engine's log-probabilities into scores, top-k misses and reasons. Both engines run the
 * same code here, so an exported bundle scores the same on either. For engine modules; not a user
 * API.
 */
package io.seqwatch.engine.common;
