package io.seqwatch.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.engine.common.SequenceReconstructionScorer;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * {@code lstm-autoencoder} on ONNX Runtime: scores sequence autoencoders exported from engine-djl
 * ({@code config.bin}, {@code model.onnx}: input {@code tokens} {@code [N, length]}, output {@code
 * log_probs} {@code [N, length, vocabulary]}). Inference only.
 *
 * <p>Thread-safety: stateless.
 */
public final class OrtLstmAutoencoderDetectorProvider extends ExportedModelProvider {
  static final String INPUT = "tokens";
  static final String OUTPUT = "log_probs";

  @Override
  public String name() {
    return "lstm-autoencoder";
  }

  @Override
  public String description() {
    return "LSTM sequence autoencoder exported to ONNX, scored on ONNX Runtime (inference only)";
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    if (!in.contains(SequenceReconstructionScorer.CONFIG)) {
      throw new ModelFormatException(name() + " ONNX model: " + SequenceReconstructionScorer.CONFIG
          + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(SequenceReconstructionScorer.CONFIG)) {
      p = Parameters.read(s);
    }
    ModelProvenance trained = VectorModel.readProvenance(p);
    if (!trained.detector().equals(name())) {
      throw new ModelFormatException(SequenceReconstructionScorer.CONFIG + " holds a '" + trained.detector()
          + "' model, not '" + name() + "'");
    }
    SequenceReconstructionScorer.Config c = SequenceReconstructionScorer.Config.readFrom(p);
    byte[] onnx = OrtProviders.graph(in, name());
    OrtSession session = OrtSessions.open(name(), onnx, OrtSettings.fromSystemProperties());
    OrtSessions.require(session, name(), true, INPUT, -1, c.length());
    OrtSessions.require(session, name(), false, OUTPUT, -1, c.length(), c.vocabulary());
    return new OrtModel(OrtProviders.scoredHere(trained), c, p.strings("tokens"), session, onnx);
  }

  /** An exported sequence autoencoder on one ONNX Runtime session, released by {@link #close()}. */
  static final class OrtModel extends SequenceReconstructionScorer {
    private final OrtSession session;
    private final byte[] onnx;

    OrtModel(ModelProvenance p, Config c, List<String> tokens, OrtSession session, byte[] onnx) {
      super(p, c, tokens);
      this.session = session;
      this.onnx = onnx;
    }

    @Override
    protected void forward(long[] blocks, float[] logProbs) {
      try (OnnxTensor x = OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(blocks),
              new long[] {PASS, config().length()});
          OrtSession.Result r = session.run(Map.of(INPUT, x))) {
        ((OnnxTensor) r.get(0)).getFloatBuffer().get(logProbs, 0, logProbs.length);
      } catch (OrtException e) {
        throw new IllegalStateException("lstm-autoencoder: ONNX Runtime failed to score: " + e.getMessage(), e);
      }
    }

    @Override
    public void save(ArtifactWriter out) throws IOException {
      io.seqwatch.engine.common.ExportedGraph.write(out, CONFIG, configFile(), onnx);
    }

    @Override
    protected void release() {
      OrtSessions.close(session);
    }
  }
}
