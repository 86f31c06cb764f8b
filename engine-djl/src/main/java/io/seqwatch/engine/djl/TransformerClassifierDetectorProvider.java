package io.seqwatch.engine.djl;

import io.seqwatch.engine.common.EventFrequencies;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventWindows;
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
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Contribution;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.engine.common.EncodedSequenceModel;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code transformer-classifier}: few-label fine-tuning of a masked-event Transformer encoder. A
 * classification head (the mean of the encoder's states, one logit) is trained on the labelled
 * sequences with class-balanced sigmoid cross-entropy; the encoder comes from {@code pretrained} (a
 * checkpoint of {@code seqwatch pretrain}, usually on far more unlabelled traffic than there are
 * labels) and is frozen except for its top block ({@code unfreeze=top}), which learns at a thirtieth of
 * the head's rate after a warm-up. The head starts from the encoder's own verdict, centred on the
 * labels; its weights on the states and the tuned block are pulled towards their start ({@code
 * anchor}, L2-SP, weaker with every anomalous label), so two or three anomalous labels adjust the
 * encoder's ranking rather than replace it. Without a checkpoint the encoder is first pretrained on the
 * training sequences themselves. A sequence is read as its last {@code window} events; the score is
 * the logit; the reasons are the events whose hiding lowers it most (occlusion by the encoder's
 * own mask).
 *
 * <p>Thread-safety: stateless; models serialise their forward passes and are closeable.
 */
public final class TransformerClassifierDetectorProvider implements DetectorProvider {
  /** This detector's name. */
  public static final String NAME = "transformer-classifier";
  static final String CONFIG = "config.bin";
  static final String WEIGHTS = "weights.params";
  /** The pretrained encoder as it was before fine-tuning: it scores the surprise the head reads. */
  static final String ENCODER = "encoder.params";
  private static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.ofString("pretrained", "", "encoder checkpoint (folder or file) from `seqwatch pretrain`; empty = pretrain on the training sequences first"),
      OptionSpec.ofString("unfreeze", "top", "encoder blocks trained with the head: none (frozen), top (the last block and final norm) or all"),
      OptionSpec.ofInt("epochs", 30, "most fine-tuning epochs (more when needed to reach min-steps)"),
      OptionSpec.ofInt("min-steps", 500, "fewest optimisation steps: with ten labels an epoch is one step"),
      OptionSpec.ofInt("batch", 32, "sequences per batch"),
      OptionSpec.ofDouble("learning-rate", 0.003, "the head's Adam learning rate"),
      OptionSpec.ofDouble("encoder-learning-rate", 0.0001, "the unfrozen encoder blocks' learning rate"),
      OptionSpec.ofDouble("anchor", 0.3, "pull of the head's weights on the encoder's states and of the tuned encoder block towards where they started (L2-SP); divided by the number of anomalous training sequences, so it fades as labels grow; the length, surprise and bias weights are free; 0 = none"),
      OptionSpec.ofInt("warmup", 20, "learning-rate warm-up steps"),
      OptionSpec.ofDouble("validation", 0.2, "share of labelled sequences held out for early stopping (when at least 10 are anomalous)"),
      OptionSpec.ofInt("patience", 5, "epochs without validation improvement before stopping"),
      OptionSpec.ofInt("pretrain-epochs", 10, "masked-event epochs on the training sequences when no checkpoint is given"),
      OptionSpec.ofString("device", "auto", "auto (GPU when DJL sees one), cpu or gpu"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String engine() {
    return DjlRuntime.ENGINE_NAME;
  }

  @Override
  public String description() {
    return "few-label fine-tuning of a pretrained masked-event Transformer encoder: a classification head, the encoder frozen but for its top block (DJL PyTorch); occlusion reasons";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Map<String, String> defaultRepresentationOptions() {
    return Map.of("token", "action");
  }

  /** Logits are unbounded; the 99th percentile of the normal sequences' scores, as {@code classifier}. */
  @Override
  public String defaultThreshold() {
    return "quantile:0.99";
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  private record Settings(String pretrained, String unfreeze, int epochs, int minSteps, int batch, float rate,
      float encoderRate, double anchor, int warmup, double validation, int patience, int pretrainEpochs, String device) {}

  @Override
  public Detector create(Options o) {
    String unfreeze = o.getString("unfreeze");
    if (!List.of("none", "top", "all").contains(unfreeze)) {
      throw new ConfigurationException("unfreeze=" + unfreeze + " is not none, top or all");
    }
    Settings s = new Settings(o.getString("pretrained").trim(), unfreeze, o.getInt("epochs", 1, 100_000),
        o.getInt("min-steps", 0, 1 << 24), o.getInt("batch", 1, 1 << 16), (float) o.getDouble("learning-rate", 1e-7, 10),
        (float) o.getDouble("encoder-learning-rate", 0, 10), o.getDouble("anchor", 0, 1e6), o.getInt("warmup", 0, 1 << 24),
        o.getDouble("validation", 0, 0.5), o.getInt("patience", 1, 1000), o.getInt("pretrain-epochs", 1, 100_000),
        o.getString("device"));
    MaskedEventCheckpoint.requireExisting(s.pretrained());
    DjlRuntime.device(s.device());
    return new Detector() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public Representation input() {
        return Representation.SEQUENCE;
      }

      @Override
      public boolean supervised() {
        return true;
      }

      @Override
      public io.seqwatch.spi.Model fit(TrainingSet t) {
        return DivergenceGuard.train(NAME, s.rate(), rate -> train(t, o, s, rate));
      }
    };
  }

  /** The encoder's settings and weights to start from, and where they came from. */
  /**
   * Where the encoder starts; {@code surprise} is the training sequences' surprise when the start
   * already measured it (pretrained here on the training sequences), else empty.
   */
  private record Start(MaskedEventConfig config, byte[] weights, int[] tokenMap, Map<String, String> source,
      List<MaskedEventModel.Surprise> surprise) {}

  private Start start(TrainingSet t, Settings s, List<EncodedSequence> seqs) {
    if (!s.pretrained().isEmpty()) {
      MaskedEventCheckpoint k;
      try {
        k = MaskedEventCheckpoint.read(Path.of(s.pretrained()));
      } catch (IOException e) {
        throw new ConfigurationException("pretrained=" + s.pretrained() + ": " + e.getMessage());
      }
      MaskedEventConfig c = MaskedEventConfig.readFrom(k.meta());
      Map<String, String> source = new TreeMap<>();
      source.put("weights-sha256", k.weightsHash());
      source.put("epochs", Long.toString(k.meta().longValue("epochs-done")));
      source.put("data.events", k.meta().string("data.events"));
      source.put("path", s.pretrained());
      List<String> tokens = new ArrayList<>(t.vocabulary());
      int max = 1;
      for (EncodedSequence q : seqs) {
        for (int i = 0; i < q.length(); i++) {
          max = Math.max(max, q.token(i));
        }
      }
      while (tokens.size() <= max) {
        tokens.add("#" + tokens.size());
      }
      return new Start(c.withPretraining(source), k.weights(), MaskedTransformerDetectorProvider.tokenMap(tokens, c.vocabulary()), source,
          List.of());
    }
    // no checkpoint: the masked-event objective on the training sequences themselves first
    MaskedTransformerDetectorProvider p = new MaskedTransformerDetectorProvider();
    Options po = Options.of(p.options(), Map.of("epochs", Integer.toString(s.pretrainEpochs()), "device", s.device()));
    try (MaskedEventModel m = (MaskedEventModel) p.create(po).fit(new TrainingSet(t.observations(),
        java.util.Optional.empty(), t.vocabulary(), t.seed(), t.listener(), t.purpose()))) {
      // the fit measured the training sequences' surprise for its typicality and kept it
      return new Start(m.config().withPretraining(Map.of("on", "training sequences", "epochs", Integer.toString(s.pretrainEpochs()))),
          NextActionModel.weights(m.net()), m.tokenMap(), Map.of(), m.surprise(seqs));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private EncoderClassifierModel train(TrainingSet t, Options o, Settings s, float rate) {
    List<Boolean> labels = t.labels().orElseThrow(() -> new ConfigurationException(
        NAME + " is supervised: give labels for its training sequences"));
    List<EncodedSequence> seqs = new ArrayList<>();
    for (Observation ob : t.observations()) {
      seqs.add(ob.requireEncoded());
    }
    long positives = labels.stream().filter(b -> b).count();
    if (positives == 0 || positives == labels.size()) {
      throw new ConfigurationException(NAME + " needs both normal and anomalous training sequences; got "
          + positives + " anomalous of " + labels.size());
    }
    Start start = start(t, s, seqs);
    List<MaskedEventModel.Surprise> typical = start.surprise();
    if (typical.isEmpty()) {
      try (MaskedEventModel scorer = surpriseScorer(start.config(), start.weights(), t.vocabulary(), start.tokenMap(),
          s.device())) {
        typical = scorer.surprise(seqs);
      }
    }
    MaskedEventConfig config = MaskedEventModel.measured(start.config(), typical)
        .withFrequencies(EventFrequencies.measure(seqs, start.config(), start.tokenMap()));
    float[][] surprise = features(typical, seqs, config, start.tokenMap());
    MaskedEventWindows windows = new MaskedEventWindows(lastWindows(seqs, config.window()), config, start.tokenMap());
    // a seeded split of the labelled sequences for early stopping, each part keeping both classes
    Random random = new Random(t.seed());
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, seqs.size()).boxed().toList());
    java.util.Collections.shuffle(order, random);
    List<Integer> held = new ArrayList<>();
    List<Integer> fit = new ArrayList<>();
    // early stopping only when the held-out part gets at least five anomalous sequences: on fewer its
    // loss picks the epoch by chance (REES46, 50 labels: PR-AUC 0.74 with it, 0.85 at 10 labels without)
    int heldOut = positives >= 10 ? (int) Math.round(seqs.size() * s.validation()) : 0;
    long heldPositives = 0;
    for (int i : order) {
      boolean positive = labels.get(i);
      if (held.size() < heldOut && (!positive || heldPositives < positives / 2)) {
        held.add(i);
        heldPositives += positive ? 1 : 0;
      } else {
        fit.add(i);
      }
    }
    if (heldPositives == 0) {
      fit.addAll(held);
      held.clear();
    }
    long fitPositives = fit.stream().filter(labels::get).count();
    double positiveWeight = (fit.size() - fitPositives) / (double) Math.max(1, fitPositives);
    Device device = DjlRuntime.device(s.device());
    Model djl = Model.newInstance("seqwatch-" + NAME, device, "PyTorch");
    EncoderClassifierNet net = new EncoderClassifierNet(config);
    djl.setBlock(net);
    boolean ok = false;
    try {
      ResumableAdam adam = ResumableAdam.of(net, rate, s.warmup(), 0f, 5f)
          .scaled(path -> rateFactor(path, s.unfreeze(), config.layers(), s.encoderRate() / rate))
          .anchored(s.anchor() / Math.max(1, fitPositives), path -> anchorShare(path, config.width()));
      DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adam).optDevices(new Device[] {device});
      int[] rows = fit.stream().mapToInt(Integer::intValue).toArray();
      int perEpoch = (rows.length + s.batch() - 1) / s.batch();
      int epochs = Math.max(s.epochs(), (s.minSteps() + perEpoch - 1) / perEpoch);
      TrainingLoop.Result run;
      try (Trainer trainer = djl.newTrainer(cfg)) {
        SeededInitializer.initialize(trainer, t.seed(), EncoderClassifierNet.shapes(s.batch(), config.window()));
        MaskedTransformerDetectorProvider.copyInto(net.encoder(), djl, start.weights(), "pretrained encoder", config);
        net.startFromSurprise(EncoderClassifierNet.centring(surprise, rows, labels::get));
        TrainingLoop<NDList> loop = TrainingLoop.<NDList>over(rows, s.batch(), epochs, random)
            .inputs((bm, batch) -> {
              int len = windows.longest(batch);
              NDList in = MaskedEventModel.batch(windows, bm, batch, len, new float[batch.length * len]);
              float[] y = new float[batch.length];
              float[] w = new float[batch.length];
              for (int i = 0; i < batch.length; i++) {
                y[i] = labels.get(batch[i]) ? 1f : 0f;
                w[i] = labels.get(batch[i]) ? (float) positiveWeight : 1f;
              }
              in.add(surpriseInput(bm, batch, surprise));
              return in.addAll(new NDList(DjlRuntime.owned(bm.create(y, new Shape(batch.length, 1))),
                  DjlRuntime.owned(bm.create(w, new Shape(batch.length, 1)))));
            })
            .step(trainer, (tr, bm, in) -> loss(tr.forward(new NDList(in.subList(0, 6))).head(), in.get(6), in.get(7)))
            .progress(t.listener(), e -> String.format(Locale.ROOT, "loss %.4f, validation %.4f", e.loss(0), e.validation()));
        if (!held.isEmpty()) { // patience counted in epochs, but never fewer than 100 steps
          loop.validate(trainLoss -> validationLoss(net, djl, windows, held, labels, positiveWeight, surprise),
              Math.max(s.patience(), (100 + perEpoch - 1) / perEpoch), TrainingLoop.Checkpoint.of(net, djl.getNDManager()));
        }
        run = loop.run();
      }
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put("labelled", Integer.toString(seqs.size()));
      summary.put("anomalous", Long.toString(positives));
      summary.put("validation", Integer.toString(held.size()));
      summary.put("epochs-run", Integer.toString(run.epochsRun()));
      summary.put("best-validation-loss", Double.toString(run.bestValidation()));
      summary.put("unfreeze", s.unfreeze());
      summary.put("learning-rate", Float.toString(rate));
      summary.put("device", device.toString());
      config.pretraining().forEach((k, v) -> summary.put("pretrained." + k, v));
      ModelProvenance provenance = new ModelProvenance(NAME, version(), o.asMap(),
          "djl-pytorch " + DjlRuntime.engine().getVersion(), t.seed(), summary, java.time.Instant.now());
      ok = true;
      return new EncoderClassifierModel(provenance, config, t.vocabulary(), start.tokenMap(), djl, net, start.weights());
    } finally {
      if (!ok) {
        djl.close();
      }
    }
  }

  private static final java.util.regex.Pattern BLOCK_NUMBER = java.util.regex.Pattern.compile("(^|_)\\d{2}(?=[a-z])");

  /** A parameter's path without the numbers DJL gives each child block: {@code 02head_weight} -> {@code head_weight}. */
  static String unnumbered(String path) {
    return BLOCK_NUMBER.matcher(path).replaceAll("$1");
  }

  /**
   * The learning-rate factor of a parameter by its path in the network: 1 for the head, {@code
   * encoderFactor} for the encoder blocks {@code unfreeze} trains (the top block and the final norm,
   * or all), 0 for the rest. DJL numbers each child block in a path ({@code 02head_weight}, {@code
   * 01encoder_14norm_gamma}); the numbers are dropped ({@link #unnumbered}) before the names are matched.
   */
  static double rateFactor(String path, String unfreeze, int layers, double encoderFactor) {
    String p = unnumbered(path);
    if (p.startsWith("head_")) {
      return 1;
    }
    if (!p.startsWith("encoder_")) {
      throw new IllegalStateException("a parameter outside the head and the encoder: " + path);
    }
    boolean trains = switch (unfreeze) {
      case "all" -> true;
      case "top" -> p.contains("_" + (layers - 1) + "_") || p.startsWith("encoder_norm_");
      default -> false;
    };
    return trains ? encoderFactor : 0;
  }

  /**
   * Which elements of a parameter the anchor pulls: the head's weights on the encoder's states and the
   * trained encoder blocks (null: every element); not the head's few summary inputs (length,
   * surprise) nor its bias (all zero), which a handful of labels can set.
   */
  static float[] anchorShare(String path, int width) {
    String p = unnumbered(path);
    if (p.startsWith("head_weight")) {
      float[] m = new float[width + 1 + EncoderClassifierNet.SURPRISE];
      java.util.Arrays.fill(m, 0, width, 1f);
      return m;
    }
    if (p.startsWith("head_")) {
      return new float[1];
    }
    return null;
  }

  /** Class-weighted sigmoid cross-entropy of logits {@code z} for targets {@code y} with weights {@code w}. */
  private static NDArray loss(NDArray z, NDArray y, NDArray w) {
    // softplus(z) - y z = -log sigmoid(z) for y = 1, -log(1 - sigmoid(z)) for y = 0; stable for any z
    NDArray softplus = z.getNDArrayInternal().relu().add(z.abs().neg().exp().add(DjlRuntime.scalar(z.getManager(), 1f)).log());
    return softplus.sub(y.mul(z)).mul(w).sum().div(w.sum());
  }

  private static double validationLoss(EncoderClassifierNet net, Model djl, MaskedEventWindows w, List<Integer> held,
      List<Boolean> labels, double positiveWeight, float[][] surprise) {
    int[] rows = held.stream().mapToInt(Integer::intValue).toArray();
    try (NDManager m = djl.getNDManager().newSubManager()) {
      int len = w.longest(rows);
      NDList in = MaskedEventModel.batch(w, m, rows, len, new float[rows.length * len]);
      in.add(surpriseInput(m, rows, surprise));
      NDArray z = net.forward(new ParameterStore(m, false), in, false).head();
      float[] y = new float[rows.length];
      float[] wt = new float[rows.length];
      for (int i = 0; i < rows.length; i++) {
        y[i] = labels.get(rows[i]) ? 1f : 0f;
        wt[i] = labels.get(rows[i]) ? (float) positiveWeight : 1f;
      }
      return loss(z, DjlRuntime.owned(m.create(y, new Shape(rows.length, 1))),
          DjlRuntime.owned(m.create(wt, new Shape(rows.length, 1)))).getFloat();
    }
  }

  /**
   * The pretrained encoder as a masked-event scorer (its own DJL model, closed by the caller): what it
   * finds in a sequence before any label is the head's starting point.
   */
  static MaskedEventModel surpriseScorer(MaskedEventConfig c, byte[] weights, List<String> tokens, int[] tokenMap,
      String device) {
    Model djl = Model.newInstance("seqwatch-" + NAME + "-encoder", DjlRuntime.device(device), "PyTorch");
    try {
      MaskedEventNet net = new MaskedEventNet(c);
      djl.setBlock(net);
      net.loadParameters(djl.getNDManager(), new DataInputStream(new ByteArrayInputStream(weights)));
      ModelProvenance p = new ModelProvenance(MaskedTransformerDetectorProvider.NAME, "encoder", Map.of(), "djl-pytorch", 0,
          Map.of(), java.time.Instant.EPOCH);
      return new MaskedEventModel(p, c.withScoring(c.passes(), "components"), tokens, tokenMap, djl, net);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      djl.close();
      throw new ModelFormatException("the pretrained encoder's weights do not fit an encoder of " + c.shape() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Per sequence, the head's sixth input: for each surprise part log1p of its typical-set z given the
   * context plus its z alone ({@link EventFrequencies}, where {@code c} holds the training
   * sequences' counts; bundles from before them read the context's z alone, as they were trained).
   */
  static float[][] features(List<MaskedEventModel.Surprise> surprise, List<EncodedSequence> seqs, MaskedEventConfig c,
      int[] tokenMap) {
    float[][] out = new float[surprise.size()][];
    for (int i = 0; i < out.length; i++) {
      double[] z = MaskedEventModel.partZ(surprise.get(i), c);
      double[] alone = c.frequencies().z(seqs.get(i), c, tokenMap);
      out[i] = new float[z.length];
      for (int p = 0; p < z.length; p++) {
        out[i][p] = (float) Math.log1p(z[p] + alone[p]);
      }
    }
    return out;
  }

  /** The surprise features of {@code rows} ({@code -1}: zeros) as a (rows, 3) array. */
  static NDArray surpriseInput(NDManager m, int[] rows, float[][] surprise) {
    float[] f = new float[rows.length * EncoderClassifierNet.SURPRISE];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] >= 0) {
        System.arraycopy(surprise[rows[i]], 0, f, i * EncoderClassifierNet.SURPRISE, EncoderClassifierNet.SURPRISE);
      }
    }
    return DjlRuntime.owned(m.create(f, new Shape(rows.length, EncoderClassifierNet.SURPRISE)));
  }

  /** Each sequence's last {@code window} events: the part the classifier reads. */
  static List<EncodedSequence> lastWindows(List<EncodedSequence> seqs, int window) {
    List<EncodedSequence> out = new ArrayList<>(seqs.size());
    for (EncodedSequence s : seqs) {
      out.add(s.length() > window ? s.range(s.length() - window, s.length()) : s);
    }
    return out;
  }

  @Override
  public io.seqwatch.spi.Model load(ArtifactReader in) throws IOException {
    if (!in.contains(CONFIG) || !in.contains(WEIGHTS) || !in.contains(ENCODER)) {
      throw new ModelFormatException(NAME + " model: " + CONFIG + ", " + WEIGHTS + " or " + ENCODER + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(CONFIG)) {
      p = Parameters.read(s);
    }
    ModelProvenance provenance = VectorModel.readProvenance(p);
    if (!provenance.detector().equals(NAME)) {
      throw new ModelFormatException(CONFIG + " holds a '" + provenance.detector() + "' model, not '" + NAME + "'");
    }
    MaskedEventConfig c = MaskedEventConfig.readFrom(p);
    String deviceOption = provenance.options().getOrDefault("device", "auto");
    Model djl = Model.newInstance("seqwatch-" + NAME, DjlRuntime.device(deviceOption.equals("gpu") ? "auto" : deviceOption), "PyTorch");
    EncoderClassifierNet net = new EncoderClassifierNet(c);
    djl.setBlock(net);
    try (InputStream w = in.open(WEIGHTS); InputStream e = in.open(ENCODER)) {
      net.initialize(djl.getNDManager(), DataType.FLOAT32, EncoderClassifierNet.shapes(1, c.window()));
      net.loadParameters(djl.getNDManager(), new DataInputStream(w));
      return new EncoderClassifierModel(provenance, c, p.strings("tokens"), p.ints("token-map"), djl, net, e.readAllBytes());
    } catch (MalformedModelException | IOException | RuntimeException e) {
      djl.close();
      if (e instanceof ModelFormatException m) {
        throw m;
      }
      throw new ModelFormatException(NAME + " model: " + WEIGHTS + " does not fit an encoder of " + c.shape() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A fine-tuned classifier: the logit of each sequence's last window, one window per forward pass
   * row, passes of a fixed shape per length class (as {@link MaskedEventModel}), so a score never
   * depends on the sequences scored with it.
   *
   * <p>Native memory: released by {@link #close()}. Thread-safety: safe for concurrent scoring.
   */
  static final class EncoderClassifierModel extends EncodedSequenceModel {
    private final MaskedEventConfig config;
    private final int[] tokenMap;
    private final Model djl;
    private final EncoderClassifierNet net;
    private final byte[] encoderWeights;
    private final MaskedEventModel scorer;

    EncoderClassifierModel(ModelProvenance provenance, MaskedEventConfig config, List<String> tokens, int[] tokenMap,
        Model djl, EncoderClassifierNet net, byte[] encoderWeights) {
      super(provenance, tokens);
      this.config = config;
      this.tokenMap = tokenMap.clone();
      this.djl = djl;
      this.net = net;
      this.encoderWeights = encoderWeights.clone();
      String device = provenance.options().getOrDefault("device", "auto");
      this.scorer = surpriseScorer(config, encoderWeights, tokens, tokenMap, device.equals("gpu") ? "auto" : device);
      net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
    }

    @Override
    public double[] scoreAll(List<Observation> observations) {
      List<EncodedSequence> seqs = new ArrayList<>(observations.size());
      for (Observation o : observations) {
        seqs.add(o.requireEncoded());
      }
      return logits(seqs, null, features(scorer.surprise(seqs), seqs, config, tokenMap));
    }

    /**
     * The logit of each sequence's last window; with {@code hide} ({@code [sequences][window]}) the
     * given events hidden by the encoder's mask.
     */
    private double[] logits(List<EncodedSequence> seqs, float[][] hide, float[][] surprise) {
      requireOpen();
      MaskedEventWindows w = new MaskedEventWindows(lastWindows(seqs, config.window()), config, tokenMap);
      double[] out = new double[seqs.size()];
      DjlRuntime.withoutGrad(() -> {
        for (int[] cells : MaskedEventModel.passes(w, 1)) {
          int t = cells[0];
          int[] rows = java.util.Arrays.copyOfRange(cells, 1, MaskedEventModel.CHUNK + 1);
          float[] mask = new float[rows.length * t];
          for (int i = 0; i < rows.length && hide != null; i++) {
            if (rows[i] >= 0) {
              System.arraycopy(hide[w.sequence(rows[i])], 0, mask, i * t, w.length(rows[i]));
            }
          }
          float[] z;
          synchronized (net) {
            try (NDManager m = djl.getNDManager().newSubManager()) {
              NDList in = MaskedEventModel.batch(w, m, rows, t, mask);
              int[] seqRows = new int[rows.length];
              for (int i = 0; i < rows.length; i++) {
                seqRows[i] = rows[i] < 0 ? -1 : w.sequence(rows[i]);
              }
              in.add(surpriseInput(m, seqRows, surprise));
              z = net.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
            }
          }
          for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= 0) {
              out[w.sequence(rows[i])] = z[i];
            }
          }
        }
        return null;
      });
      return out;
    }

    @Override
    public Explanation explain(Observation o, int maxItems) {
      EncodedSequence s = o.requireEncoded();
      EncodedSequence last = lastWindows(List.of(s), config.window()).get(0);
      int n = last.length();
      if (n == 0) {
        return Explanation.NONE;
      }
      List<EncodedSequence> copies = new ArrayList<>(n + 1);
      float[][] hide = new float[n + 1][n];
      for (int i = 0; i <= n; i++) {
        copies.add(last);
        if (i < n) {
          hide[i + 1][i] = 1f;
        }
      }
      float[] own = features(scorer.surprise(List.of(s)), List.of(s), config, tokenMap)[0];
      float[][] same = new float[n + 1][];
      java.util.Arrays.fill(same, own);
      double[] z = logits(copies, hide, same);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      order.sort(Comparator.<Integer>comparingDouble(i -> z[i + 1]).thenComparingInt(i -> i));
      List<Contribution> out = new ArrayList<>();
      int offset = s.length() - n;
      for (int i : order.subList(0, Math.min(maxItems, n))) {
        double drop = z[0] - z[i + 1];
        out.add(new Contribution("event " + (offset + i), drop, 0, drop,
            String.format(Locale.ROOT, "event %d '%s': hiding it moves the anomaly logit from %.2f to %.2f",
                offset + i, tokenText(last.token(i)), z[0], z[i + 1])));
      }
      return new Explanation(out);
    }

    @Override
    public void save(ArtifactWriter out) throws IOException {
      requireOpen();
      Parameters.Builder b = Parameters.builder();
      VectorModel.writeProvenance(b, provenance());
      config.writeTo(b);
      b.put("token-map", tokenMap).put("tokens", tokens());
      try (OutputStream s = out.create(CONFIG)) {
        b.build().write(s);
      }
      try (OutputStream s = out.create(WEIGHTS)) {
        s.write(NextActionModel.weights(net));
      }
      try (OutputStream s = out.create(ENCODER)) {
        s.write(encoderWeights);
      }
    }

    @Override
    protected void release() {
      scorer.close();
      djl.close();
    }
  }
}
