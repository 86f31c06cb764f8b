package io.seqwatch.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code onnx-features}: wraps an ONNX model trained elsewhere (scikit-learn through skl2onnx,
 * PyTorch, Keras) that scores behaviour feature vectors, as a Seqwatch detector. "Training" reads the
 * model and its {@link ImportSpec}, computes the feature statistics of the training data (for
 * standardised inputs and for reasons) and lets the pipeline calibrate the threshold on the
 * model's scores; the bundle keeps the graph, the spec and the statistics. Reasons are model-agnostic:
 * each feature in turn is set to its training median and the drop in score is its contribution
 * (occlusion).
 *
 * <pre>{@code
 * seqwatch train --detector onnx-features --set model=iforest.onnx --set spec=iforest.json \
 *   --input log.csv --format taobao --model bundle
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class OnnxFeaturesDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "onnx-features";
  }

  @Override
  public String engine() {
    return OrtRuntime.ENGINE_NAME;
  }

  @Override
  public String description() {
    return "an ONNX model trained elsewhere that scores behaviour features (ONNX Runtime), with an import spec";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("model", "", "path of the .onnx file"),
        OptionSpec.ofString("spec", "", "path of the JSON import spec (input, output, features, standardize, score)"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  static byte[] read(Options o, String key, String name) {
    String v = o.getString(key);
    if (v.isBlank()) {
      throw new ConfigurationException(name + " needs --set " + key + "=<path>");
    }
    try {
      return Files.readAllBytes(Path.of(v));
    } catch (IOException e) {
      throw new ConfigurationException(name + ": cannot read " + key + " file " + v + ": " + e, e);
    }
  }

  @Override
  public Detector create(Options o) {
    byte[] onnx = read(o, "model", name());
    ImportSpec spec = ImportSpec.parse(read(o, "spec", name()), false, o.getString("spec"));
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      return open(VectorModel.provenanceFor(this, o, t, Map.of("engine", OrtRuntime.version())), stats, spec, onnx);
    });
  }

  private ImportedFeatureModel open(ModelProvenance p, FeatureStatistics stats, ImportSpec spec, byte[] onnx) {
    List<String> names = spec.features().isEmpty() ? stats.schema().names() : spec.features();
    int[] index = new int[names.size()];
    for (int i = 0; i < index.length; i++) {
      index[i] = stats.schema().names().indexOf(names.get(i));
      if (index[i] < 0) {
        throw new ConfigurationException("ONNX import spec: feature '" + names.get(i) + "' is not a behaviour feature; "
            + "known: " + String.join(", ", stats.schema().names()));
      }
    }
    OrtSession session = OrtSessions.open(name(), onnx, OrtSettings.fromSystemProperties());
    OrtSessions.require(session, name(), true, spec.input(), -1, index.length);
    try {
      java.util.Set<String> outputs = session.getOutputInfo().keySet();
      if (!outputs.contains(spec.output())) {
        OrtSessions.close(session);
        throw new ConfigurationException("ONNX import spec: the model has no output '" + spec.output() + "' (it has "
            + outputs + ")");
      }
    } catch (OrtException e) {
      OrtSessions.close(session);
      throw new ModelFormatException(name() + ": " + e.getMessage(), e);
    }
    return new ImportedFeatureModel(p, stats, spec, index, session, onnx);
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    if (!in.contains(ImportSpec.FILE)) {
      throw new ModelFormatException(name() + " model: " + ImportSpec.FILE + " is missing from the bundle");
    }
    ImportSpec spec;
    try (InputStream s = in.open(ImportSpec.FILE)) {
      spec = ImportSpec.parse(s.readAllBytes(), false, ImportSpec.FILE);
    } catch (ConfigurationException e) {
      throw new ModelFormatException(name() + " model: " + e.getMessage(), e);
    }
    return open(VectorModel.readProvenance(p), FeatureStatistics.readFrom(p), spec, OrtProviders.graph(in, name()));
  }

  /**
   * An imported feature model on one ONNX Runtime session, released by {@link #close()}.
   * Thread-safety: safe for concurrent scoring (ONNX Runtime sessions are).
   */
  static final class ImportedFeatureModel extends VectorModel {
    private final ImportSpec spec;
    private final int[] index;
    private final OrtSession session;
    private final byte[] onnx;
    private final AtomicBoolean closed = new AtomicBoolean();

    ImportedFeatureModel(ModelProvenance p, FeatureStatistics stats, ImportSpec spec, int[] index, OrtSession session,
        byte[] onnx) {
      super(p, stats);
      this.spec = spec;
      this.index = index;
      this.session = session;
      this.onnx = onnx;
    }

    private float[] inputs(double[] x) {
      double[] z = spec.standardize() ? statistics().standardize(x) : x;
      float[] in = new float[index.length];
      for (int i = 0; i < in.length; i++) {
        in[i] = (float) z[index[i]];
      }
      return in;
    }

    @Override
    protected double score(double[] x) {
      if (closed.get()) {
        throw new IllegalStateException("onnx-features model is closed");
      }
      float[] in = inputs(x);
      try (OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(in), new long[] {1, in.length});
          OrtSession.Result r = session.run(Map.of(spec.input(), t), java.util.Set.of(spec.output()))) {
        OnnxTensor out = (OnnxTensor) r.get(spec.output()).orElseThrow();
        FloatBuffer f = out.getFloatBuffer();
        return switch (spec.score()) {
          case "negate" -> -f.get(0);
          case "reconstruction-mse" -> {
            double s = 0;
            for (int i = 0; i < in.length; i++) {
              double d = f.get(i) - in[i];
              s += d * d;
            }
            yield s / in.length;
          }
          default -> f.get(0);
        };
      } catch (OrtException e) {
        throw new IllegalStateException("onnx-features: ONNX Runtime failed to score: " + e.getMessage(), e);
      }
    }

    /** Occlusion: the score drop when a feature is set to its training median (never negative). */
    @Override
    protected double[] contributions(double[] x) {
      double base = score(x);
      double[] c = new double[x.length];
      for (int i : index) {
        double[] y = x.clone();
        y[i] = statistics().median(i);
        c[i] = Math.max(0, base - score(y));
      }
      return c;
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("feature-index", index);
    }

    @Override
    protected void writeFiles(ArtifactWriter out) throws IOException {
      try (OutputStream s = out.create(OrtSessions.MODEL)) {
        s.write(onnx);
      }
      try (OutputStream s = out.create(ImportSpec.FILE)) {
        s.write(spec.bytes());
      }
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        OrtSessions.close(session);
      }
    }
  }
}
