package io.seqwatch.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.engine.common.NextActionScorer;
import io.seqwatch.engine.common.Windows;
import io.seqwatch.spi.ArtifactWriter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exported {@code gru}, {@code lstm} or {@code transformer} next-action model on ONNX Runtime:
 * input {@code tokens} (int64 {@code [N, window]}; the transformer also {@code gaps}, {@code
 * categories} and {@code prices}), output {@code log_probs} (float {@code [N, vocabulary]}; the
 * transformer also {@code attention}). Windows,
 * aggregation and reasons are {@link NextActionScorer}'s, shared with engine-djl.
 *
 * <p>Native memory: one {@link OrtSession}, released by {@link #close()}; every pass's tensors are
 * closed before it returns. Thread-safety: safe for concurrent scoring.
 */
final class OrtNextActionModel extends NextActionScorer {
  static final String MODEL = OrtSessions.MODEL;
  static final String INPUT = "tokens";
  static final String OUTPUT = "log_probs";
  static final String ATTENTION = "attention";
  static final String GATE = "modality_gate";
  static final String ATTRIBUTE_IDS = "attribute_ids";
  static final String ATTRIBUTE_VALUES = "attribute_values";
  static final String ATTRIBUTE_TARGETS = "next_attribute_ids";
  static final String ATTRIBUTE_LOG_PROBS = "next_attribute_log_probs";

  private final OrtSession session;
  private final byte[] onnx;

  private OrtNextActionModel(ModelProvenance provenance, NextActionConfig config, List<String> tokens,
      OrtSession session, byte[] onnx) {
    super(provenance, config, tokens);
    this.session = session;
    this.onnx = onnx;
  }

  /**
   * Opens a session on the graph and checks its inputs and outputs against the configuration.
   *
   * @throws ModelFormatException when the bytes are not an ONNX model or do not fit the configuration
   */
  static OrtNextActionModel open(ModelProvenance provenance, NextActionConfig config, List<String> tokens,
      byte[] onnx, OrtSettings settings) {
    OrtSession session = OrtSessions.open(provenance.detector(), onnx, settings);
    OrtSessions.require(session, provenance.detector(), true, INPUT, -1, config.window());
    OrtSessions.require(session, provenance.detector(), false, OUTPUT, -1, config.vocabulary());
    if (config.side()) {
      OrtSessions.require(session, provenance.detector(), true, "prices", -1, config.window(), 2);
      OrtSessions.require(session, provenance.detector(), false, ATTENTION, -1, config.window());
    }
    if (config.fusion()) {
      int modalities = NextActionScorer.MODALITIES.size();
      OrtSessions.require(session, provenance.detector(), false, GATE, -1, config.window(), modalities);
      if (config.attributes().slots() > 0) {
        OrtSessions.require(session, provenance.detector(), true, ATTRIBUTE_IDS, -1, config.window(),
            config.attributes().slots());
      }
      if (config.attributes().values() > 0) {
        OrtSessions.require(session, provenance.detector(), true, ATTRIBUTE_VALUES, -1, config.window(),
            config.attributes().values());
      }
      if (config.predictedAttributes() > 0) {
        OrtSessions.require(session, provenance.detector(), true, ATTRIBUTE_TARGETS, -1, config.predictedAttributes());
        OrtSessions.require(session, provenance.detector(), false, ATTRIBUTE_LOG_PROBS, -1,
            config.predictedAttributes());
      }
    }
    return new OrtNextActionModel(provenance, config, tokens, session, onnx);
  }

  @Override
  protected boolean forward(Windows.Batch batch, float[] logProbs, float[] attributeLogProbs, float[] attention,
      float[] gates, boolean wantAttention) {
    long[] shape = {batch.rows(), batch.window()};
    java.util.Map<String, OnnxTensor> in = new java.util.LinkedHashMap<>();
    try {
      in.put(INPUT, OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(batch.tokens()), shape));
      if (config().side()) { // the transformer's side information
        in.put("gaps", OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(batch.gaps()), shape));
        in.put("categories", OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(batch.categories()), shape));
        in.put("prices", OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(batch.prices()),
            new long[] {batch.rows(), batch.window(), 2}));
      }
      if (batch.attributeIds() != null) {
        in.put(ATTRIBUTE_IDS, OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(batch.attributeIds()),
            new long[] {batch.rows(), batch.window(), batch.slots()}));
      }
      if (batch.attributeValues() != null) {
        in.put(ATTRIBUTE_VALUES, OnnxTensor.createTensor(OrtRuntime.environment(),
            FloatBuffer.wrap(batch.attributeValues()), new long[] {batch.rows(), batch.window(), batch.values()}));
      }
      if (batch.attributeTargets() != null) {
        in.put(ATTRIBUTE_TARGETS, OnnxTensor.createTensor(OrtRuntime.environment(),
            LongBuffer.wrap(batch.attributeTargets()), new long[] {batch.rows(), batch.predicted()}));
      }
      boolean withAttention = wantAttention && config().side();
      boolean withGate = withAttention && config().fusion();
      boolean withAttributes = config().predictedAttributes() > 0;
      Set<String> outputs = new java.util.HashSet<>(Set.of(OUTPUT));
      if (withAttention) {
        outputs.add(ATTENTION);
      }
      if (withGate) {
        outputs.add(GATE);
      }
      if (withAttributes) {
        outputs.add(ATTRIBUTE_LOG_PROBS);
      }
      try (OrtSession.Result r = session.run(in, outputs)) {
        ((OnnxTensor) r.get(OUTPUT).orElseThrow()).getFloatBuffer().get(logProbs, 0, logProbs.length);
        if (withAttention) {
          ((OnnxTensor) r.get(ATTENTION).orElseThrow()).getFloatBuffer().get(attention, 0, attention.length);
        }
        if (withGate) {
          ((OnnxTensor) r.get(GATE).orElseThrow()).getFloatBuffer().get(gates, 0, gates.length);
        }
        if (withAttributes) {
          ((OnnxTensor) r.get(ATTRIBUTE_LOG_PROBS).orElseThrow()).getFloatBuffer()
              .get(attributeLogProbs, 0, attributeLogProbs.length);
        }
        return withAttention;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(detector() + ": ONNX Runtime failed to score: " + e.getMessage(), e);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    requireOpen();
    io.seqwatch.engine.common.ExportedGraph.write(out, CONFIG, configFile(), onnx);
  }

  @Override
  protected void release() {
    OrtSessions.close(session);
  }
}
