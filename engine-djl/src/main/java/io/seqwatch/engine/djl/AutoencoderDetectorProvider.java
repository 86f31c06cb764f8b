package io.seqwatch.engine.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import io.seqwatch.engine.common.DenseReconstructionModel;
import io.seqwatch.spi.Exportable;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code autoencoder}: a dense autoencoder on standardised behaviour features (d -> hidden ->
 * bottleneck -> hidden -> d, ReLU), trained with Adam on the mean squared reconstruction error. A
 * sequence scores its mean squared reconstruction error; the features it reconstructs worst are
 * the reasons. Weights are stored as parameter arrays in the model file, so the bundle needs no
 * engine-specific format.
 *
 * <p>Thread-safety: stateless; models serialise their forward passes and are closeable.
 */
public final class AutoencoderDetectorProvider implements DetectorProvider {
  /** {@code djl}: trained and scored on DJL with the PyTorch engine. */
  @Override
  public String engine() {
    return DjlRuntime.ENGINE_NAME;
  }

  @Override
  public String name() {
    return "autoencoder";
  }

  @Override
  public String description() {
    return "dense autoencoder (DJL PyTorch): reconstruction error of the behaviour features";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofInt("hidden", 32, "width of the outer hidden layers"),
        OptionSpec.ofInt("bottleneck", 8, "width of the code layer"),
        OptionSpec.ofInt("epochs", 30, "training epochs"),
        OptionSpec.ofInt("batch", 128, "vectors per batch"),
        OptionSpec.ofDouble("learning-rate", 0.003, "Adam learning rate"),
        OptionSpec.ofDouble("weight-decay", 0.0, "L2 penalty"),
        OptionSpec.ofDouble("clip", 10, "standardised inputs are clipped to [-clip, clip] so outliers in training cannot dominate"),
        OptionSpec.ofString("device", "auto", "auto, cpu or gpu"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  static SequentialBlock net(int d, int hidden, int bottleneck) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(bottleneck).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(d).build());
  }

  @Override
  public Detector create(Options o) {
    int hidden = o.getInt("hidden", 1, 4096);
    int bottleneck = o.getInt("bottleneck", 1, 4096);
    int epochs = o.getInt("epochs", 1, 10_000);
    int batch = o.getInt("batch", 1, 1 << 20);
    float lr = (float) o.getDouble("learning-rate", 1e-7, 1e12);
    float wd = (float) o.getDouble("weight-decay", 0, 10);
    double clip = o.getDouble("clip", 0.1, 1e6);
    String deviceOption = o.getString("device");
    DjlRuntime.device(deviceOption);
    return Detector.of(name(), Representation.FEATURES, t -> DivergenceGuard.train(name(), lr, rate -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      int d = stats.schema().size();
      float[] flat = FeatureArrays.training(v, stats, clip, t.seed());
      int rows = flat.length / d;
      Device device = DjlRuntime.device(deviceOption);
      Model djl = Model.newInstance("seqwatch-autoencoder", device, "PyTorch");
      SequentialBlock net = net(d, hidden, bottleneck);
      djl.setBlock(net);
      boolean ok = false;
      try {
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(new SquaredErrorLoss())
            .optOptimizer(TrainingLoop.adam(rate, 0, wd, 0))
            .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT).optDevices(new Device[] {device});
        try (Trainer trainer = djl.newTrainer(cfg)) {
          SeededInitializer.initialize(trainer, t.seed(), new Shape(batch, d));
          TrainingLoop.<NDList>over(rows, batch, epochs, new Random(t.seed()))
              .inputs((bm, rs) -> new NDList(DjlRuntime.owned(bm.create(FeatureArrays.rows(flat, d, rs), new Shape(rs.length, d)))))
              .step(trainer, (tr, bm, xs) -> tr.getLoss().evaluate(xs, tr.forward(xs)))
              .progress(t.listener(), e -> String.format(Locale.ROOT, "loss %.4f", e.loss(0)))
              .run();
        }
        AutoencoderModel m = new AutoencoderModel(VectorModel.provenanceFor(this, o, t,
            Map.of("engine", "djl-pytorch " + DjlRuntime.engine().getVersion())), stats, clip, hidden, bottleneck, djl, net);
        ok = true;
        return m;
      } finally {
        if (!ok) {
          djl.close();
        }
      }
    }));
  }

  @Override
  public io.seqwatch.spi.Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    FeatureStatistics stats = FeatureStatistics.readFrom(p);
    int d = stats.schema().size();
    int hidden = p.intValue("hidden");
    int bottleneck = p.intValue("bottleneck");
    ModelProvenance prov = VectorModel.readProvenance(p);
    Model djl = Model.newInstance("seqwatch-autoencoder", DjlRuntime.device("cpu"), "PyTorch");
    SequentialBlock net = net(d, hidden, bottleneck);
    djl.setBlock(net);
    try {
      FeatureArrays.restore(net, djl, d, p, "w.");
      return new AutoencoderModel(prov, stats, p.doubleValue("clip"), hidden, bottleneck, djl, net);
    } catch (RuntimeException e) {
      djl.close();
      throw e;
    }
  }

  /**
   * A trained autoencoder on DJL; standardisation, scores and reasons are {@link DenseReconstructionModel}'s.
   * Native memory: a DJL model, released by {@link #close()}.
   */
  static final class AutoencoderModel extends DenseReconstructionModel implements Exportable {
    private final Model djl;
    private final SequentialBlock net;

    AutoencoderModel(ModelProvenance p, FeatureStatistics stats, double clip, int hidden, int bottleneck, Model djl,
        SequentialBlock net) {
      super(p, stats, clip, hidden, bottleneck);
      this.djl = djl;
      this.net = net;
      net.getParameters().values().forEach(q -> q.getArray().setRequiresGradient(false));
    }

    SequentialBlock net() {
      return net;
    }

    @Override
    protected float[] reconstruct(float[] in) {
      return DjlRuntime.withoutGrad(() -> {
        try (NDManager m = djl.getNDManager().newSubManager()) {
          return net.forward(new ParameterStore(m, false), new NDList(DjlRuntime.owned(m.create(in, new Shape(1, in.length)))), false)
              .head().toFloatArray();
        }
      });
    }

    @Override
    protected void writeNetwork(Parameters.Builder b) {
      FeatureArrays.store(net, b, "w.");
    }

    @Override
    public java.util.Set<String> exportTargets() {
      return java.util.Set.of("onnx");
    }

    @Override
    public void export(String target, io.seqwatch.spi.ArtifactWriter out) throws IOException {
      if (!target.equals("onnx")) {
        throw new io.seqwatch.api.ConfigurationException("autoencoder cannot be exported to " + target + "; it exports to onnx");
      }
      OnnxExport.denseAutoencoder(this, out);
    }

    @Override
    protected void release() {
      djl.close();
    }
  }
}
