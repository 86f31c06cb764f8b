package io.seqwatch.engine.onnx;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventScorer;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code masked-transformer} on ONNX Runtime: scores and embeds with bundles exported from
 * engine-djl ({@code seqwatch export --to onnx} or {@code --to onnx-int8}: {@code config.bin} +
 * {@code model.onnx}). Inference only.
 *
 * <p>Thread-safety: stateless.
 */
public final class OrtMaskedTransformerDetectorProvider extends ExportedModelProvider {
  static final String NAME = "masked-transformer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "masked-event Transformer encoder exported to ONNX (float32 or int8 weights), scored on ONNX Runtime "
        + "(inference only)";
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    if (!in.contains(MaskedEventScorer.CONFIG) || !in.contains(OrtMaskedEventModel.MODEL)) {
      throw new ModelFormatException(NAME + " ONNX model: " + MaskedEventScorer.CONFIG + " or "
          + OrtMaskedEventModel.MODEL + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(MaskedEventScorer.CONFIG)) {
      p = Parameters.read(s);
    }
    var provenance = OrtProviders.scoredHere(VectorModel.readProvenance(p));
    if (!provenance.detector().equals(NAME)) {
      throw new ModelFormatException(MaskedEventScorer.CONFIG + " holds a '" + provenance.detector() + "' model, not '"
          + NAME + "'");
    }
    MaskedEventConfig c = MaskedEventConfig.readFrom(p);
    byte[] onnx = OrtProviders.graph(in, NAME);
    return OrtMaskedEventModel.open(provenance, c, p.strings("tokens"), p.ints("token-map"), onnx,
        OrtSettings.fromSystemProperties());
  }
}
