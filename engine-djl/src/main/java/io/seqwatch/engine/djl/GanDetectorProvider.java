package io.seqwatch.engine.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code gan}: an adversarially regularised autoencoder on standardised behaviour features, in the
 * BeatGAN / GANomaly family. The generator is an autoencoder (d -> hidden -> bottleneck -> hidden ->
 * d); the discriminator tells real vectors from reconstructions. Each batch trains the discriminator
 * (binary cross-entropy, real label smoothed to 0.9), then the generator on reconstruction error
 * plus {@code adversarial-weight} x feature matching: the squared distance between the
 * discriminator's hidden features of the input and of its reconstruction.
 *
 * <p>Stability settings, chosen because plain GAN losses oscillate on small tabular data: feature
 * matching instead of fooling the discriminator, one-sided label smoothing, a discriminator learning
 * rate a quarter of the generator's, gradient clipping at 5, inputs clipped to +-{@code clip}
 * standard deviations. Score: reconstruction MSE + {@code adversarial-weight} x feature distance;
 * the worst-reconstructed features are the reasons.
 *
 * <p>Thread-safety: stateless; models serialise their forward passes and are closeable.
 */
public final class GanDetectorProvider implements DetectorProvider {
  /** {@code djl}: trained and scored on DJL with the PyTorch engine. */
  @Override
  public String engine() {
    return DjlRuntime.ENGINE_NAME;
  }

  @Override
  public String name() {
    return "gan";
  }

  @Override
  public String description() {
    return "adversarially regularised autoencoder (BeatGAN-style, DJL PyTorch): reconstruction + discriminator feature distance";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofInt("hidden", 32, "width of the hidden layers"),
        OptionSpec.ofInt("bottleneck", 8, "width of the generator's code"),
        OptionSpec.ofInt("epochs", 30, "training epochs"),
        OptionSpec.ofInt("batch", 128, "vectors per batch"),
        OptionSpec.ofDouble("learning-rate", 0.002, "generator learning rate (the discriminator uses a quarter)"),
        OptionSpec.ofDouble("adversarial-weight", 0.5, "weight of the feature-matching term, in training and in the score"),
        OptionSpec.ofDouble("clip", 10, "standardised inputs are clipped to [-clip, clip]"),
        OptionSpec.ofString("device", "auto", "auto, cpu or gpu"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  static SequentialBlock discriminatorFeatures(int hidden) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu);
  }

  static SequentialBlock discriminator(int hidden) {
    return new SequentialBlock().add(discriminatorFeatures(hidden)).add(Linear.builder().setUnits(1).build());
  }

  /** The discriminator's feature extractor: its first child. */
  static Block features(SequentialBlock discriminator) {
    return discriminator.getChildren().get(0).getValue();
  }

  @Override
  public Detector create(Options o) {
    int hidden = o.getInt("hidden", 1, 4096);
    int bottleneck = o.getInt("bottleneck", 1, 4096);
    int epochs = o.getInt("epochs", 1, 10_000);
    int batch = o.getInt("batch", 1, 1 << 20);
    float lr = (float) o.getDouble("learning-rate", 1e-7, 1e12);
    float adv = (float) o.getDouble("adversarial-weight", 0, 1000);
    double clip = o.getDouble("clip", 0.1, 1e6);
    String deviceOption = o.getString("device");
    DjlRuntime.device(deviceOption);
    return Detector.of(name(), Representation.FEATURES, t -> DivergenceGuard.train(name(), lr, rate -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      int d = stats.schema().size();
      float[] flat = FeatureArrays.training(v, stats, clip, t.seed());
      Device device = DjlRuntime.device(deviceOption);
      Model g = Model.newInstance("seqwatch-gan-generator", device, "PyTorch");
      Model dm = Model.newInstance("seqwatch-gan-discriminator", device, "PyTorch");
      SequentialBlock gen = AutoencoderDetectorProvider.net(d, hidden, bottleneck);
      SequentialBlock dis = discriminator(hidden);
      g.setBlock(gen);
      dm.setBlock(dis);
      boolean ok = false;
      try {
        Loss bce = Loss.sigmoidBinaryCrossEntropyLoss();
        try (Trainer tg = g.newTrainer(config(rate, device)); Trainer td = dm.newTrainer(config(rate / 4, device))) {
          SeededInitializer.initialize(tg, t.seed(), new Shape(batch, d));
          SeededInitializer.initialize(td, ~t.seed(), new Shape(batch, d));
          Block feat = features(dis);
          TrainingLoop.<NDArray>over(flat.length / d, batch, epochs, new Random(t.seed()))
              .inputs((bm, rows) -> DjlRuntime.owned(bm.create(FeatureArrays.rows(flat, d, rows), new Shape(rows.length, d))))
              // discriminator: real (smoothed to 0.9) against detached reconstructions
              .step(td, (tr, bm, real) -> {
                long n = real.getShape().get(0);
                NDArray fake = gen.forward(new ParameterStore(bm, false), new NDList(real), false).head().stopGradient();
                return bce.evaluate(new NDList(bm.full(new Shape(n, 1), 0.9f)), tr.forward(new NDList(real)))
                    .add(bce.evaluate(new NDList(bm.zeros(new Shape(n, 1))), tr.forward(new NDList(fake))));
              })
              // generator: reconstruction + feature matching through the discriminator's features
              .step(tg, (tr, bm, real) -> {
                NDArray recon = tr.forward(new NDList(real)).head();
                NDArray fr = feat.forward(new ParameterStore(bm, false), new NDList(real), false).head().stopGradient();
                NDArray ff = feat.forward(new ParameterStore(bm, false), new NDList(recon), false).head();
                return recon.sub(real).square().mean().add(ff.sub(fr).square().mean().mul(DjlRuntime.scalar(bm, adv)));
              })
              .progress(t.listener(), e -> String.format(Locale.ROOT, "generator %.4f, discriminator %.4f", e.loss(1), e.loss(0)))
              .run();
        }
        GanModel m = new GanModel(VectorModel.provenanceFor(this, o, t,
            Map.of("engine", "djl-pytorch " + DjlRuntime.engine().getVersion())), stats, clip, hidden, bottleneck, adv,
            g, gen, dm, dis);
        ok = true;
        return m;
      } finally {
        if (!ok) {
          g.close();
          dm.close();
        }
      }
    }));
  }

  private static DefaultTrainingConfig config(float lr, Device device) {
    return new DefaultTrainingConfig(new SquaredErrorLoss())
        .optOptimizer(TrainingLoop.adam(lr, 0, 0, 5f))
        .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT).optDevices(new Device[] {device});
  }

  @Override
  public io.seqwatch.spi.Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    FeatureStatistics stats = FeatureStatistics.readFrom(p);
    int d = stats.schema().size();
    int hidden = p.intValue("hidden");
    int bottleneck = p.intValue("bottleneck");
    Model g = Model.newInstance("seqwatch-gan-generator", DjlRuntime.device("cpu"), "PyTorch");
    Model dm = Model.newInstance("seqwatch-gan-discriminator", DjlRuntime.device("cpu"), "PyTorch");
    SequentialBlock gen = AutoencoderDetectorProvider.net(d, hidden, bottleneck);
    SequentialBlock dis = discriminator(hidden);
    g.setBlock(gen);
    dm.setBlock(dis);
    try {
      FeatureArrays.restore(gen, g, d, p, "g.");
      FeatureArrays.restore(dis, dm, d, p, "d.");
      return new GanModel(VectorModel.readProvenance(p), stats, p.doubleValue("clip"), hidden, bottleneck,
          (float) p.doubleValue("adversarial-weight"), g, gen, dm, dis);
    } catch (RuntimeException e) {
      g.close();
      dm.close();
      throw e;
    }
  }

  /** A trained generator and discriminator. */
  static final class GanModel extends VectorModel {
    private final double clip;
    private final int hidden;
    private final int bottleneck;
    private final float adv;
    private final Model g;
    private final SequentialBlock gen;
    private final Model dm;
    private final SequentialBlock dis;
    private final AtomicBoolean closed = new AtomicBoolean();

    GanModel(ModelProvenance p, FeatureStatistics stats, double clip, int hidden, int bottleneck, float adv, Model g,
        SequentialBlock gen, Model dm, SequentialBlock dis) {
      super(p, stats);
      this.clip = clip;
      this.hidden = hidden;
      this.bottleneck = bottleneck;
      this.adv = adv;
      this.g = g;
      this.gen = gen;
      this.dm = dm;
      this.dis = dis;
      gen.getParameters().values().forEach(q -> q.getArray().setRequiresGradient(false));
      dis.getParameters().values().forEach(q -> q.getArray().setRequiresGradient(false));
    }

    /** Per-feature squared reconstruction error, then the feature-matching distance last. */
    private synchronized double[] errors(double[] raw) {
      if (closed.get()) {
        throw new IllegalStateException("gan model is closed");
      }
      double[] z = statistics().standardize(raw);
      float[] in = FeatureArrays.clipped(z, clip);
      return DjlRuntime.withoutGrad(() -> {
        try (NDManager m = g.getNDManager().newSubManager()) {
          NDArray x = DjlRuntime.owned(m.create(in, new Shape(1, z.length)));
          NDArray recon = gen.forward(new ParameterStore(m, false), new NDList(x), false).head();
          Block feat = features(dis);
          float[] fr = feat.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
          float[] ff = feat.forward(new ParameterStore(m, false), new NDList(recon), false).head().toFloatArray();
          float[] out = recon.toFloatArray();
          double[] e = new double[z.length + 1];
          for (int j = 0; j < z.length; j++) {
            double diff = out[j] - in[j];
            e[j] = diff * diff;
          }
          double dist = 0;
          for (int k = 0; k < fr.length; k++) {
            dist += (ff[k] - fr[k]) * (double) (ff[k] - fr[k]);
          }
          e[z.length] = dist / fr.length;
          return e;
        }
      });
    }

    @Override
    protected double score(double[] x) {
      double[] e = errors(x);
      double s = 0;
      for (int j = 0; j < x.length; j++) {
        s += e[j];
      }
      return s / x.length + adv * e[x.length];
    }

    @Override
    protected double[] contributions(double[] x) {
      return java.util.Arrays.copyOf(errors(x), x.length);
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("clip", clip).put("hidden", hidden).put("bottleneck", bottleneck).put("adversarial-weight", adv);
      FeatureArrays.store(gen, b, "g.");
      FeatureArrays.store(dis, b, "d.");
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        g.close();
        dm.close();
      }
    }
  }
}
