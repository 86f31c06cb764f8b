package io.seqwatch.engine.onnx;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.engine.common.NextActionScorer;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.io.InputStream;

/**
 * Shared provider of the ONNX Runtime next-action detectors {@code gru} and {@code lstm}: loads
 * bundles exported from engine-djl ({@code config.bin} + {@code model.onnx}). Inference only: its
 * priority is below engine-djl's, so with both engines present training picks DJL and a bundle loads
 * with the engine that wrote it.
 *
 * <p>Thread-safety: stateless.
 */
abstract class OrtNextActionDetectorProvider extends ExportedModelProvider {
  /** {@code gru} or {@code lstm}. */
  abstract String cell();

  @Override
  public String name() {
    return cell();
  }

  @Override
  public String description() {
    return cell() + " next-action model exported to ONNX, scored on ONNX Runtime (inference only)";
  }

  /** Session settings are system properties ({@link OrtSettings}); a bundle's options are fixed at training. */
  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    if (!in.contains(NextActionScorer.CONFIG) || !in.contains(OrtNextActionModel.MODEL)) {
      throw new ModelFormatException(name() + " ONNX model: " + NextActionScorer.CONFIG + " or "
          + OrtNextActionModel.MODEL + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(NextActionScorer.CONFIG)) {
      p = Parameters.read(s);
    }
    var provenance = OrtProviders.scoredHere(VectorModel.readProvenance(p));
    NextActionConfig c = NextActionConfig.readFrom(p);
    if (!provenance.detector().equals(name()) || !c.cell().equals(cell())) {
      throw new ModelFormatException(NextActionScorer.CONFIG + " holds a '" + provenance.detector() + "' model, not '"
          + name() + "'");
    }
    byte[] onnx = OrtProviders.graph(in, name());
    return OrtNextActionModel.open(provenance, c, p.strings("tokens"), onnx, OrtSettings.fromSystemProperties());
  }
}
