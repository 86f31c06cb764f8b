/**
 * The ONNX Runtime engine: detector providers named like engine-djl's ({@code gru}, {@code lstm})
 * whose {@link io.seqwatch.spi.DetectorProvider#engine() engine} is {@code onnx}. They load bundles
 * exported with {@code seqwatch export --to onnx} (or {@code FittedPipeline.export(dir, "onnx")}) and
 * score them with the same windows, aggregation and reasons as engine-djl
 * ({@link io.seqwatch.engine.common.NextActionScorer}); they do not train. Session settings come from
 * {@link io.seqwatch.engine.onnx.OrtSettings}.
 */
package io.seqwatch.engine.onnx;
