package io.seqwatch.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.engine.common.NextActionScorer;
import io.seqwatch.engine.common.Windows;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * {@code onnx-next-action}: wraps a next-action model trained elsewhere (a DeepLog-style LSTM in
 * PyTorch or Keras, exported to ONNX) as a Seqwatch sequence detector. The {@link ImportSpec} names
 * the model's vocabulary by id; Seqwatch's token ids are translated to the model's on the way in and
 * its next-token distribution back on the way out, so per-event NLL, top-k misses, aggregation and
 * reasons are those of {@code gru} ({@link NextActionScorer}). Ranks for top-k are taken over the
 * tokens both vocabularies know. "Training" fits the token vocabulary and lets the pipeline
 * calibrate the threshold.
 *
 * <p>Thread-safety: stateless.
 */
public final class OnnxNextActionDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "onnx-next-action";
  }

  @Override
  public String engine() {
    return OrtRuntime.ENGINE_NAME;
  }

  @Override
  public String description() {
    return "a next-action model trained elsewhere, exported to ONNX (ONNX Runtime), with an import spec";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("model", "", "path of the .onnx file"),
        OptionSpec.ofString("spec", "", "path of the JSON import spec (input, output, outputs, window, vocabulary, padding, unknown, end, top-k, aggregate)"));
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Detector create(Options o) {
    byte[] onnx = OnnxFeaturesDetectorProvider.read(o, "model", name());
    ImportSpec spec = ImportSpec.parse(OnnxFeaturesDetectorProvider.read(o, "spec", name()), true, o.getString("spec"));
    if (!NextActionConfig.AGGREGATES.contains(spec.aggregate())) {
      throw new ConfigurationException("ONNX import spec: 'aggregate' is " + spec.aggregate() + ", not one of "
          + NextActionConfig.AGGREGATES);
    }
    return Detector.of(name(), Representation.SEQUENCE, t -> {
      int vocabulary = Math.max(2, t.vocabulary().size());
      for (Observation ob : t.observations()) {
        for (int x : ob.requireEncoded().tokens()) {
          vocabulary = Math.max(vocabulary, x + 1);
        }
      }
      NextActionConfig c = new NextActionConfig(name(), vocabulary, 0, 0, 0, spec.window(), spec.topK(), spec.aggregate(),
          spec.end().isPresent(), 0, 0, 0);
      var p = VectorModel.provenanceFor(this, o, t, Map.of("engine", OrtRuntime.version()));
      ImportedNextActionModel m = ImportedNextActionModel.open(p, c, t.vocabulary(), spec, onnx);
      if (c.aggregate().equals("typicality")) { // measure what a typical training sequence scores
        List<io.seqwatch.api.EncodedSequence> seqs = t.observations().stream().map(Observation::requireEncoded).toList();
        return m.withConfig(c.withTypicality(m.typicalNll(seqs))); // the same session
      }
      return m;
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    for (String f : List.of(NextActionScorer.CONFIG, ImportSpec.FILE)) {
      if (!in.contains(f)) {
        throw new ModelFormatException(name() + " model: " + f + " is missing from the bundle");
      }
    }
    Parameters p;
    try (InputStream s = in.open(NextActionScorer.CONFIG)) {
      p = Parameters.read(s);
    }
    ImportSpec spec;
    try (InputStream s = in.open(ImportSpec.FILE)) {
      spec = ImportSpec.parse(s.readAllBytes(), true, ImportSpec.FILE);
    } catch (ConfigurationException e) {
      throw new ModelFormatException(name() + " model: " + e.getMessage(), e);
    }
    return ImportedNextActionModel.open(VectorModel.readProvenance(p), NextActionConfig.readFrom(p), p.strings("tokens"),
        spec, OrtProviders.graph(in, name()));
  }

  /**
   * An imported next-action model on one ONNX Runtime session, released by {@link #close()}.
   * Thread-safety: as {@link NextActionScorer}.
   */
  static final class ImportedNextActionModel extends NextActionScorer {
    private final ImportSpec spec;
    private final OrtSession session;
    private final byte[] onnx;
    /** Seqwatch token id -> the model's id. */
    private final int[] toModel;
    private final int modelVocabulary;
    private final int paddingId;
    private final String outputs;

    private ImportedNextActionModel(ModelProvenance p, NextActionConfig c, List<String> tokens, ImportSpec spec,
        OrtSession session, byte[] onnx) {
      super(p, c, tokens);
      this.spec = spec;
      this.session = session;
      this.onnx = onnx;
      List<String> model = spec.vocabulary();
      this.modelVocabulary = model.size();
      this.paddingId = spec.id("padding");
      this.outputs = spec.outputs();
      int unknown = spec.id("unknown");
      int end = spec.end().orElse(paddingId);
      this.toModel = new int[c.vocabulary()];
      for (int k = 0; k < toModel.length; k++) {
        int id = k < tokens.size() && k > 1 ? model.indexOf(tokens.get(k)) : -1;
        toModel[k] = k == 0 ? end : id >= 0 ? id : unknown;
      }
    }

    /**
     * This model with another configuration over the same session (training measures the typical
     * NLL with a first configuration); the session belongs to the returned model from then on.
     */
    ImportedNextActionModel withConfig(NextActionConfig c) {
      return new ImportedNextActionModel(provenance(), c, tokens(), spec, session, onnx);
    }

    static ImportedNextActionModel open(ModelProvenance p, NextActionConfig c, List<String> tokens, ImportSpec spec,
        byte[] onnx) {
      OrtSession session = OrtSessions.open(p.detector(), onnx, OrtSettings.fromSystemProperties());
      OrtSessions.require(session, p.detector(), true, spec.input(), -1, c.window());
      OrtSessions.require(session, p.detector(), false, spec.output(), -1, spec.vocabulary().size());
      return new ImportedNextActionModel(p, c, tokens, spec, session, onnx);
    }

    @Override
    protected boolean forward(Windows.Batch batch, float[] logProbs, float[] attributeLogProbs, float[] attention,
        float[] gates, boolean wantAttention) {
      long[] ids = batch.tokens().clone();
      for (int i = 0; i < ids.length; i++) {
        ids[i] = ids[i] == 0 ? paddingId : toModel[(int) ids[i]];
      }
      try (OnnxTensor in = OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(ids),
              new long[] {batch.rows(), batch.window()});
          OrtSession.Result r = session.run(Map.of(spec.input(), in), java.util.Set.of(spec.output()))) {
        FloatBuffer out = ((OnnxTensor) r.get(spec.output()).orElseThrow()).getFloatBuffer();
        int v = config().vocabulary();
        float[] row = new float[modelVocabulary];
        for (int i = 0; i < batch.rows(); i++) {
          out.get(row);
          logProbabilities(row);
          for (int k = 0; k < v; k++) {
            logProbs[i * v + k] = row[toModel[k]];
          }
        }
        return false;
      } catch (OrtException e) {
        throw new IllegalStateException("onnx-next-action: ONNX Runtime failed to score: " + e.getMessage(), e);
      }
    }

    /** Turns one output row into log-probabilities in place. */
    private void logProbabilities(float[] row) {
      switch (outputs) {
        case "log-probs" -> { }
        case "probs" -> {
          for (int k = 0; k < row.length; k++) {
            row[k] = (float) Math.log(Math.max(row[k], 1e-30f));
          }
        }
        default -> {
          double max = Double.NEGATIVE_INFINITY;
          for (float x : row) {
            max = Math.max(max, x);
          }
          double sum = 0;
          for (float x : row) {
            sum += Math.exp(x - max);
          }
          double log = max + Math.log(sum);
          for (int k = 0; k < row.length; k++) {
            row[k] = (float) (row[k] - log);
          }
        }
      }
    }

    @Override
    public void save(ArtifactWriter out) throws IOException {
      requireOpen();
      io.seqwatch.engine.common.ExportedGraph.write(out, CONFIG, configFile(), onnx);
      try (OutputStream s = out.create(ImportSpec.FILE)) {
        s.write(spec.bytes());
      }
    }

    @Override
    protected void release() {
      OrtSessions.close(session);
    }
  }
}
