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
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * An exported {@code gru} or {@code lstm} next-action model on ONNX Runtime: input {@code tokens}
 * (int64 {@code [N, window]}), output {@code log_probs} (float {@code [N, vocabulary]}). Windows,
 * aggregation and reasons are {@link NextActionScorer}'s, shared with engine-djl.
 *
 * <p>Native memory: one {@link OrtSession}, released by {@link #close()}; every pass's tensors are
 * closed before it returns. Thread-safety: safe for concurrent scoring.
 */
final class OrtNextActionModel extends NextActionScorer {
  static final String MODEL = OrtSessions.MODEL;
  static final String INPUT = "tokens";
  static final String OUTPUT = "log_probs";

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
    return new OrtNextActionModel(provenance, config, tokens, session, onnx);
  }

  @Override
  protected boolean forward(Windows.Batch batch, float[] logProbs, float[] attention, boolean wantAttention) {
    try (OnnxTensor in = OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(batch.tokens()),
            new long[] {batch.rows(), batch.window()});
        OrtSession.Result r = session.run(Map.of(INPUT, in))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      out.get(logProbs, 0, logProbs.length);
      return false;
    } catch (OrtException e) {
      throw new IllegalStateException(detector() + ": ONNX Runtime failed to score: " + e.getMessage(), e);
    }
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    requireOpen();
    try (OutputStream s = out.create(CONFIG)) {
      configFile().write(s);
    }
    try (OutputStream s = out.create(MODEL)) {
      s.write(onnx);
    }
  }

  @Override
  protected void release() {
    OrtSessions.close(session);
  }
}
