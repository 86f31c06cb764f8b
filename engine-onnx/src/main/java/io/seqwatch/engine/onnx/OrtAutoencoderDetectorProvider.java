package io.seqwatch.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.engine.common.DenseReconstructionModel;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * {@code autoencoder} on ONNX Runtime: scores dense autoencoders exported from engine-djl
 * ({@code model.bin} with the feature statistics, {@code model.onnx} with the network: input {@code
 * features} {@code [N, d]}, output {@code reconstruction} {@code [N, d]}). Inference only.
 *
 * <p>Thread-safety: stateless.
 */
public final class OrtAutoencoderDetectorProvider extends ExportedModelProvider {
  static final String INPUT = "features";
  static final String OUTPUT = "reconstruction";

  @Override
  public String name() {
    return "autoencoder";
  }

  @Override
  public String description() {
    return "dense autoencoder exported to ONNX, scored on ONNX Runtime (inference only)";
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    FeatureStatistics stats = FeatureStatistics.readFrom(p);
    byte[] onnx = OrtProviders.graph(in, name());
    int d = stats.schema().size();
    OrtSession session = OrtSessions.open(name(), onnx, OrtSettings.fromSystemProperties());
    OrtSessions.require(session, name(), true, INPUT, -1, d);
    OrtSessions.require(session, name(), false, OUTPUT, -1, d);
    return new OrtAutoencoderModel(OrtProviders.scoredHere(VectorModel.readProvenance(p)), stats, p.doubleValue("clip"),
        p.intValue("hidden"), p.intValue("bottleneck"), session, onnx);
  }

  /**
   * An exported autoencoder on one ONNX Runtime session, released by {@link #close()}.
   * Thread-safety: as {@link DenseReconstructionModel}.
   */
  static final class OrtAutoencoderModel extends DenseReconstructionModel {
    private final OrtSession session;
    private final byte[] onnx;

    OrtAutoencoderModel(ModelProvenance p, FeatureStatistics stats, double clip, int hidden, int bottleneck,
        OrtSession session, byte[] onnx) {
      super(p, stats, clip, hidden, bottleneck);
      this.session = session;
      this.onnx = onnx;
    }

    @Override
    protected float[] reconstruct(float[] in) {
      try (OnnxTensor x = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(in), new long[] {1, in.length});
          OrtSession.Result r = session.run(Map.of(INPUT, x))) {
        float[] out = new float[in.length];
        ((OnnxTensor) r.get(0)).getFloatBuffer().get(out);
        return out;
      } catch (OrtException e) {
        throw new IllegalStateException("autoencoder: ONNX Runtime failed to score: " + e.getMessage(), e);
      }
    }

    @Override
    protected void writeFiles(ArtifactWriter out) throws IOException {
      try (OutputStream s = out.create(OrtSessions.MODEL)) {
        s.write(onnx);
      }
    }

    @Override
    protected void release() {
      OrtSessions.close(session);
    }
  }
}
