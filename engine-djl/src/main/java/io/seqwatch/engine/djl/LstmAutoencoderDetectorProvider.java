package io.seqwatch.engine.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.seqwatch.engine.common.SequenceReconstructionScorer;
import io.seqwatch.spi.Exportable;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.VectorModel;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code lstm-autoencoder}: reconstructs each sequence (cut into blocks of {@code length} events,
 * the last block left-padded) through an LSTM bottleneck and scores the per-event reconstruction
 * negative log-likelihood, aggregated by {@code max} (default), {@code mean} or {@code typicality}
 * (two-sided: bots repeating one pattern are too easy to reconstruct). Sequences unlike the
 * training data reconstruct poorly; the worst-reconstructed events are the reasons.
 *
 * <p>Thread-safety: stateless; models serialise their forward passes and are closeable.
 */
public final class LstmAutoencoderDetectorProvider implements DetectorProvider {
  static final String CONFIG = "config.bin";
  static final String WEIGHTS = "weights.params";

  /** {@code djl}: trained and scored on DJL with the PyTorch engine. */
  @Override
  public String engine() {
    return DjlRuntime.ENGINE_NAME;
  }

  @Override
  public String name() {
    return "lstm-autoencoder";
  }

  @Override
  public String description() {
    return "LSTM sequence autoencoder (DJL PyTorch): per-event reconstruction NLL";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofInt("embedding", 16, "size of the action embedding"),
        OptionSpec.ofInt("hidden", 32, "state size of encoder and decoder (the code size)"),
        OptionSpec.ofInt("length", 20, "events per reconstructed block"),
        OptionSpec.ofInt("epochs", 15, "training epochs"),
        OptionSpec.ofInt("batch", 64, "blocks per batch"),
        OptionSpec.ofDouble("learning-rate", 0.005, "Adam learning rate"),
        OptionSpec.ofString("aggregate", "max", "max or mean per-event reconstruction NLL, or typicality (|mean NLL - the training events'| in their standard deviations: too easy or too hard to reconstruct)"),
        OptionSpec.ofString("device", "auto", "auto, cpu or gpu"));
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Detector create(Options o) {
    int embedding = o.getInt("embedding", 1, 4096);
    int hidden = o.getInt("hidden", 1, 8192);
    int length = o.getInt("length", 1, 10_000);
    int epochs = o.getInt("epochs", 1, 10_000);
    int batch = o.getInt("batch", 1, 1 << 20);
    float lr = (float) o.getDouble("learning-rate", 1e-7, 1e12);
    String aggregate = o.getString("aggregate");
    if (!SequenceReconstructionScorer.Config.AGGREGATES.contains(aggregate)) {
      throw new ConfigurationException("aggregate=" + aggregate + " is not one of "
          + String.join(", ", SequenceReconstructionScorer.Config.AGGREGATES));
    }
    String deviceOption = o.getString("device");
    DjlRuntime.device(deviceOption);
    return Detector.of(name(), Representation.SEQUENCE, t -> DivergenceGuard.train(name(), lr,
        rate -> train(t, o, embedding, hidden, length, epochs, batch, rate, aggregate, deviceOption)));
  }

  private AutoencoderModel train(TrainingSet t, Options o, int embedding, int hidden, int length, int epochs, int batch,
      float lr, String aggregate, String deviceOption) {
    int vocabulary = Math.max(2, t.vocabulary().size());
    int rows = 0;
    for (Observation ob : t.observations()) {
      for (int x : ob.requireEncoded().tokens()) {
        vocabulary = Math.max(vocabulary, x + 1);
      }
      rows += SequenceReconstructionScorer.blocks(ob.requireEncoded().tokens(), length);
    }
    long[] all = new long[rows * length];
    int row = 0;
    for (Observation ob : t.observations()) {
      int[] q = ob.requireEncoded().tokens();
      SequenceReconstructionScorer.fill(q, length, vocabulary, all, row);
      row += SequenceReconstructionScorer.blocks(q, length);
    }
    Device device = DjlRuntime.device(deviceOption);
    Model djl = Model.newInstance("seqwatch-lstm-autoencoder", device, "PyTorch");
    SequenceAutoencoderNet net = new SequenceAutoencoderNet(vocabulary, embedding, hidden);
    djl.setBlock(net);
    int v = vocabulary;
    boolean ok = false;
    try {
      DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(TrainingLoop.adam(lr, 0, 0, 5f)).optDevices(new Device[] {device});
      try (Trainer trainer = djl.newTrainer(cfg)) {
        SeededInitializer.initialize(trainer, t.seed(), new Shape(batch, length));
        TrainingLoop.<NDArray>over(rows, batch, epochs, new Random(t.seed()))
            .inputs((bm, rs) -> {
              long[] x = new long[rs.length * length];
              for (int i = 0; i < rs.length; i++) {
                System.arraycopy(all, rs[i] * length, x, i * length, length);
              }
              return DjlRuntime.owned(bm.create(x, new Shape(rs.length, length)));
            })
            // (batch, length, vocabulary) logits against the input tokens, one row per position
            .step(trainer, (tr, bm, xs) -> tr.getLoss().evaluate(new NDList(xs.reshape(-1)),
                new NDList(tr.forward(new NDList(xs)).head().reshape(-1, v))))
            .progress(t.listener(), e -> String.format(Locale.ROOT, "loss %.4f, %,.0f events/s", e.loss(0),
                e.rowsPerSecond() * length))
            .run();
      }
      ModelProvenance prov = VectorModel.provenanceFor(this, o, t, Map.of("blocks", Integer.toString(rows),
          "engine", "djl-pytorch " + DjlRuntime.engine().getVersion()));
      SequenceReconstructionScorer.Config config = new SequenceReconstructionScorer.Config(vocabulary, embedding,
          hidden, length, aggregate);
      AutoencoderModel m = new AutoencoderModel(prov, config, t.vocabulary(), djl, net);
      if (aggregate.equals("typicality")) { // measure what a typical training sequence scores
        List<int[]> seqs = new ArrayList<>();
        t.observations().forEach(ob -> seqs.add(ob.requireEncoded().tokens()));
        m = new AutoencoderModel(prov, config.withTypicality(m.typicalNll(seqs)), t.vocabulary(), djl, net);
      }
      ok = true;
      return m;
    } finally {
      if (!ok) {
        djl.close();
      }
    }
  }

  @Override
  public io.seqwatch.spi.Model load(ArtifactReader in) throws IOException {
    if (!in.contains(CONFIG) || !in.contains(WEIGHTS)) {
      throw new ModelFormatException("lstm-autoencoder model: " + CONFIG + " or " + WEIGHTS + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(CONFIG)) {
      p = Parameters.read(s);
    }
    ModelProvenance prov = VectorModel.readProvenance(p);
    if (!prov.detector().equals(name())) {
      throw new ModelFormatException(CONFIG + " holds a '" + prov.detector() + "' model, not '" + name() + "'");
    }
    SequenceReconstructionScorer.Config c = SequenceReconstructionScorer.Config.readFrom(p);
    Model djl = Model.newInstance("seqwatch-lstm-autoencoder", DjlRuntime.device("cpu"), "PyTorch");
    SequenceAutoencoderNet net = new SequenceAutoencoderNet(c.vocabulary(), c.embedding(), c.hidden());
    djl.setBlock(net);
    try (InputStream w = in.open(WEIGHTS)) {
      net.initialize(djl.getNDManager(), DataType.FLOAT32, new Shape(1, c.length()));
      net.loadParameters(djl.getNDManager(), new DataInputStream(w));
      return new AutoencoderModel(prov, c, p.strings("tokens"), djl, net);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      djl.close();
      throw new ModelFormatException("lstm-autoencoder model: " + WEIGHTS + " does not fit the saved network: "
          + e.getMessage(), e);
    }
  }

  /**
   * A trained sequence autoencoder on DJL; scoring and reasons are {@link SequenceReconstructionScorer}'s.
   * Native memory: a DJL model, released by {@link #close()}.
   */
  static final class AutoencoderModel extends SequenceReconstructionScorer implements Exportable {
    private final Model djl;
    private final SequenceAutoencoderNet net;

    AutoencoderModel(ModelProvenance provenance, Config config, List<String> tokens, Model djl,
        SequenceAutoencoderNet net) {
      super(provenance, config, tokens);
      this.djl = djl;
      this.net = net;
      net.getParameters().values().forEach(q -> q.getArray().setRequiresGradient(false));
    }

    SequenceAutoencoderNet net() {
      return net;
    }

    @Override
    protected <T> T inference(java.util.function.Supplier<T> body) {
      return DjlRuntime.withoutGrad(body);
    }

    @Override
    protected void forward(long[] blocks, float[] logProbs) {
      try (NDManager step = djl.getNDManager().newSubManager()) {
        float[] lp = net.forward(new ParameterStore(step, false),
            new NDList(DjlRuntime.owned(step.create(blocks, new Shape(PASS, config().length())))), false).head().logSoftmax(2).toFloatArray();
        System.arraycopy(lp, 0, logProbs, 0, logProbs.length);
      }
    }

    @Override
    public java.util.Set<String> exportTargets() {
      return java.util.Set.of("onnx");
    }

    @Override
    public void export(String target, ArtifactWriter out) throws IOException {
      if (!target.equals("onnx")) {
        throw new ConfigurationException("lstm-autoencoder cannot be exported to " + target + "; it exports to onnx");
      }
      OnnxExport.sequenceAutoencoder(this, out);
    }

    @Override
    public void save(ArtifactWriter out) throws IOException {
      try (OutputStream s = out.create(CONFIG)) {
        configFile().write(s);
      }
      try (OutputStream s = out.create(WEIGHTS)) {
        s.write(NextActionModel.weights(net));
      }
    }

    @Override
    protected void release() {
      djl.close();
    }
  }
}
