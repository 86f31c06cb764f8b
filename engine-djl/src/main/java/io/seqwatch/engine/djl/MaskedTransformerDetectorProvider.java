package io.seqwatch.engine.djl;

import io.seqwatch.engine.common.EventFrequencies;
import io.seqwatch.engine.common.MaskedEventConfig;
import io.seqwatch.engine.common.MaskedEventWindows;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.seqwatch.api.ActionType;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Typicality;
import io.seqwatch.spi.support.VectorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code masked-transformer}: a bidirectional Transformer encoder over behaviour events trained by
 * masked-event modelling on unlabelled sequences ({@link MaskedEventNet}): 15 % of the events are
 * hidden and the encoder learns to tell their action, time gap and category from the events around
 * them. A sequence scores high when its events are hard to tell from their context ({@link
 * MaskedEventModel}). Training is pretraining: with {@code checkpoint-dir} it writes a checkpoint
 * after every epoch and a later run with the same data and options resumes from it to the same
 * model; with {@code pretrained} it starts from another run's encoder (another shop's, say: action
 * tokens are matched by their canonical type, so Taobao's {@code pv} meets REES46's {@code view}) and
 * adapts it to this data.
 *
 * <pre>{@code
 * seqwatch pretrain --input taobao.csv --format taobao --out encoder/          # resumable
 * seqwatch train --input rees46.csv --format rees46 --detector masked-transformer \
 *     --set pretrained=encoder/ --set epochs=2 --model model/
 * }</pre>
 *
 * <p>Thread-safety: stateless; training runs on the calling thread.
 */
public final class MaskedTransformerDetectorProvider implements DetectorProvider {
  /** This detector's name. */
  public static final String NAME = "masked-transformer";
  private static final List<String> AGGREGATES = MaskedEventConfig.AGGREGATES;
  private static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.ofString("size", "small", "encoder size: small (width 64, 2 blocks, 4 heads) or base (width 128, 4 blocks, 4 heads)"),
      OptionSpec.ofInt("window", 32, "events per window; longer sequences are cut into windows"),
      OptionSpec.ofInt("epochs", 10, "training epochs over the windows (more when needed to reach min-steps)"),
      OptionSpec.ofInt("min-steps", 0, "fewest optimisation steps: a small log gets more epochs"),
      OptionSpec.ofInt("batch", 64, "windows per training batch"),
      OptionSpec.ofDouble("learning-rate", 0.001, "Adam learning rate"),
      OptionSpec.ofInt("warmup", 200, "learning-rate warm-up steps (0 = none)"),
      OptionSpec.ofDouble("weight-decay", 0.0, "L2 penalty"),
      OptionSpec.ofDouble("mask-rate", 0.15, "share of events hidden per window in training (at least one)"),
      OptionSpec.ofInt("passes", 4, "scoring hides every passes-th event in turn: passes forward passes per window"),
      OptionSpec.ofString("aggregate", "components", "components (the typical-set z of the action, gap and category surprise apart, given the events around and, from their frequencies among the training events, without them, summed: too predictable or too surprising in any of them, too common or too rare; a shortfall measured in the spread of the training events below the mean), components-sd (the same, a shortfall in the standard deviation: for logs whose anomalies are only ever surprising, as log keys), typicality (that z of the total), standardised (|mean - typical| / sd), mean or max"),
      OptionSpec.ofString("pretrained", "", "an encoder checkpoint (file or folder) to start from, written by `seqwatch pretrain` or checkpoint-dir; empty = from scratch"),
      OptionSpec.ofString("checkpoint-dir", "", "write a checkpoint here after every epoch and resume from it when one for the same data and options is there; empty = none"),
      OptionSpec.ofString("device", "auto", "auto (GPU when DJL sees one), cpu or gpu"));
  /** Options a resumed run may change: where checkpoints go, the device, and how many epochs in all (to extend a run). */
  private static final List<String> NOT_MODEL = List.of("checkpoint-dir", "device", "epochs");

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
    return "bidirectional Transformer encoder pretrained by masked-event modelling (resumable checkpoints, transfer between shops); an event's surprise is its action, gap and category given the events around it (DJL PyTorch)";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  /**
   * {@code evt:0.01}, the SDK's default. Measured on the quality benchmark (seeds 1-3, 5 % attacks):
   * shops recall 0.16 at FPR 0.000, HDFS recall 0.59 at FPR 1.4 %. Trimming the tail fit as the
   * forest does ({@code evt:0.004,trim=skewed}) raised shop recall to 0.79 but flooded clean data:
   * FPR 14.6 % on HDFS and 15.9 % on one Diginetica seed ({@code trim=tukey}: 9.8 % and 4.3 %).
   */
  @Override
  public String defaultThreshold() {
    return "evt:0.01";
  }

  /** Action tokens: the encoder sees gaps, categories and prices as inputs of their own. */
  @Override
  public Map<String, String> defaultRepresentationOptions() {
    return Map.of("token", "action");
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  /** Validated options. */
  private record Settings(int[] size, int window, int epochs, int minSteps, int batch, float learningRate, int warmup,
      float weightDecay, double maskRate, int passes, String aggregate, String pretrained,
      String checkpointDir, String device) {}

  @Override
  public Detector create(Options o) {
    String aggregate = o.getString("aggregate");
    if (!AGGREGATES.contains(aggregate)) {
      throw new ConfigurationException("aggregate=" + aggregate + " is not one of " + String.join(", ", AGGREGATES));
    }
    Settings s = new Settings(MaskedEventConfig.preset(o.getString("size")), o.getInt("window", 2, 4096),
        o.getInt("epochs", 1, 100_000), o.getInt("min-steps", 0, 1 << 24), o.getInt("batch", 1, 1 << 16), (float) o.getDouble("learning-rate", 1e-7, 10),
        o.getInt("warmup", 0, 1 << 24), (float) o.getDouble("weight-decay", 0, 10), o.getDouble("mask-rate", 0.01, 0.9),
        o.getInt("passes", 1, 64), aggregate, o.getString("pretrained").trim(),
        o.getString("checkpoint-dir").trim(), o.getString("device"));
    MaskedEventCheckpoint.requireExisting(s.pretrained());
    DjlRuntime.device(s.device());
    return Detector.of(NAME, Representation.SEQUENCE, t -> DivergenceGuard.train(NAME, s.learningRate(),
        lr -> train(t, o, new Settings(s.size(), s.window(), s.epochs(), s.minSteps(), s.batch(), lr, s.warmup(), s.weightDecay(),
            s.maskRate(), s.passes(), s.aggregate(), s.pretrained(), s.checkpointDir(), s.device()))));
  }

  private MaskedEventModel train(TrainingSet t, Options o, Settings s) {
    List<EncodedSequence> seqs = new ArrayList<>(t.size());
    int maxToken = 1;
    int maxGap = 0;
    int maxCategory = 0;
    for (Observation ob : t.observations()) {
      EncodedSequence q = ob.requireEncoded();
      seqs.add(q);
      for (int i = 0; i < q.length(); i++) {
        maxToken = Math.max(maxToken, q.token(i));
        maxGap = Math.max(maxGap, q.gapBucket(i));
        maxCategory = Math.max(maxCategory, q.categoryId(i));
      }
    }
    List<String> encoderTokens = new ArrayList<>(t.vocabulary());
    while (encoderTokens.size() <= maxToken) {
      encoderTokens.add("#" + encoderTokens.size());
    }
    MaskedEventConfig config;
    int[] tokenMap;
    MaskedEventCheckpoint source = null;
    if (!s.pretrained().isEmpty()) {
      MaskedEventCheckpoint pre = readCheckpoint(Path.of(s.pretrained()));
      source = pre;
      MaskedEventConfig from = MaskedEventConfig.readFrom(source.meta());
      if (maxCategory >= from.categoryBuckets()) {
        throw new ConfigurationException("the categories are hashed into more buckets (ids up to " + maxCategory
            + ") than the pretrained encoder's " + from.categoryBuckets() + "; set the sequence encoder's category-buckets="
            + from.categoryBuckets() + " as in pretraining");
      }
      tokenMap = tokenMap(encoderTokens, from.vocabulary());
      Map<String, String> provenance = new TreeMap<>();
      source.meta().names().stream().filter(n -> n.startsWith("data.")).forEach(n -> provenance.put(n, pre.meta().string(n)));
      provenance.put("epochs", Long.toString(source.meta().longValue("epochs-done")));
      provenance.put("weights-sha256", source.weightsHash());
      provenance.put("path", s.pretrained());
      config = from.withScoring(s.passes(), s.aggregate()).withPretraining(provenance);
    } else {
      tokenMap = new int[encoderTokens.size()];
      for (int i = 0; i < tokenMap.length; i++) {
        tokenMap[i] = i;
      }
      config = new MaskedEventConfig(encoderTokens, Math.max(8, maxGap + 1), Integer.highestOneBit(Math.max(1, maxCategory)) * 2,
          s.window(), s.size()[0], s.size()[2], s.size()[1], s.passes(), s.aggregate(), Typicality.UNMEASURED, MaskedEventConfig.UNMEASURED, Map.of());
    }
    MaskedEventWindows windows = new MaskedEventWindows(seqs, config, tokenMap);
    if (windows.rows() == 0) {
      throw new ConfigurationException(NAME + " needs at least one training event");
    }
    int perEpoch = (windows.rows() + s.batch() - 1) / s.batch();
    int epochs = Math.max(s.epochs(), (s.minSteps() + perEpoch - 1) / perEpoch);
    Device device = DjlRuntime.device(s.device());
    Model djl = Model.newInstance("seqwatch-" + NAME, device, "PyTorch");
    MaskedEventNet net = new MaskedEventNet(config);
    djl.setBlock(net);
    boolean ok = false;
    try {
      ResumableAdam adam = ResumableAdam.of(net, s.learningRate(), s.warmup(), s.weightDecay(), 5f);
      // the loss is the masked events' surprise, computed in the step; DJL's config needs one to be named
      DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adam).optDevices(new Device[] {device});
      Map<String, String> modelOptions = new TreeMap<>(o.asMap());
      NOT_MODEL.forEach(modelOptions::remove);
      // the rate actually used: a retry after divergence (a tenth of it) does not resume the diverged run
      String fingerprint = Long.toHexString(windows.fingerprint()) + "/" + Long.toHexString(seed(modelOptions.toString())) + "/" + t.seed()
          + "/" + s.learningRate();
      // held-out fits for threshold calibration leave the checkpoints to the model that is kept
      Path checkpoints = s.checkpointDir().isEmpty() || t.purpose() == TrainingSet.Purpose.HELD_OUT ? null
          : Path.of(s.checkpointDir());
      int done = 0;
      double[] lastLoss = {Double.NaN};
      double[] eventsPerSecond = {Double.NaN};
      try (Trainer trainer = djl.newTrainer(cfg)) {
        SeededInitializer.initialize(trainer, t.seed(), MaskedEventNet.shapes(s.batch(), config.window()));
        if (source != null) {
          copyInto(net, djl, source.weights(), "pretrained=" + s.pretrained(), config);
        }
        if (checkpoints != null) {
          done = resume(checkpoints, fingerprint, epochs, net, djl, adam, config);
        }
        int[] uses = new int[windows.rows()];
        java.util.Arrays.fill(uses, done);
        double maskRate = s.maskRate();
        long seed = t.seed();
        MaskedEventConfig c = config;
        long events = windows.events();
        int epochsDone = done;
        TrainingLoop.<NDList>over(windows.rows(), s.batch(), epochs, new Random(t.seed()))
            .resumeAfter(done)
            .arrange((order, random) -> byLength(order, windows, s.batch(), random))
            .inputs((bm, rows) -> {
              int len = windows.longest(rows);
              float[] mask = new float[rows.length * len];
              for (int i = 0; i < rows.length; i++) {
                draw(mask, i * len, windows.length(rows[i]), maskRate, new SplittableRandom(mix(seed, rows[i], uses[rows[i]]++)));
              }
              NDList in = MaskedEventModel.batch(windows, bm, rows, len, mask);
              return in.addAll(MaskedEventModel.arrays(windows.cells(rows, len, mask, c.width(), 0), bm, c.width())); // + index, targets
            })
            .step(trainer, (tr, bm, in) -> {
              NDList out = tr.forward(new NDList(in.subList(0, 6)));
              return MaskedEventModel.surprise(out, new NDList(in.subList(5, 10))).mean();
            })
            .afterEpoch(e -> {
              lastLoss[0] = e.loss(0);
              eventsPerSecond[0] = e.rowsPerSecond() * events / windows.rows();
              if (checkpoints != null) {
                checkpoint(net, adam, c, fingerprint, e.number(), epochs, seqs.size(), events)
                    .write(MaskedEventCheckpoint.file(checkpoints.resolve(MaskedEventCheckpoint.FILE)));
              }
            })
            .progress(t.listener(), e -> String.format(Locale.ROOT, "masked-event loss %.4f, %,.0f events/s",
                e.loss(0), e.rowsPerSecond() * events / windows.rows()))
            .run();
        if (epochsDone == epochs && checkpoints != null) {
          t.listener().progress(epochs, epochs, "all " + epochs + " epochs were in the checkpoint in " + checkpoints);
        }
      }
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put("sequences", Integer.toString(seqs.size()));
      summary.put("events", Long.toString(events(seqs)));
      summary.put("windows", Integer.toString(windows.rows()));
      summary.put("epochs", Integer.toString(epochs));
      summary.put("epochs-resumed", Integer.toString(done));
      summary.put("last-epoch-loss", Double.toString(lastLoss[0]));
      summary.put("events-per-second", String.format(Locale.ROOT, "%.0f", eventsPerSecond[0]));
      summary.put("parameters", Long.toString(parameters(net)));
      summary.put("device", device.toString());
      summary.put("learning-rate", Float.toString(s.learningRate()));
      config.pretraining().forEach((k, v) -> summary.put("pretrained." + k, v));
      ModelProvenance provenance = new ModelProvenance(NAME, version(), o.asMap(),
          "djl-pytorch " + DjlRuntime.engine().getVersion(), t.seed(), summary, java.time.Instant.now());
      MaskedEventModel m = new MaskedEventModel(provenance, config, t.vocabulary().isEmpty() ? encoderTokens : t.vocabulary(), tokenMap, djl, net);
      // the training events' typical surprise: the typicality aggregates' centre and the explanations' yardstick;
      // and how common each action, gap and category is among them, for the context-free parts
      List<MaskedEventModel.Surprise> typical = m.surprise(seqs);
      MaskedEventConfig measured = MaskedEventModel.measured(config, typical)
          .withFrequencies(EventFrequencies.measure(seqs, config, tokenMap));
      m = new MaskedEventModel(provenance, measured, m.tokens(), tokenMap, djl, net);
      m.remember(seqs, typical); // the pipeline's training scores (threshold) need not run the passes again
      ok = true;
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!ok) {
        djl.close();
      }
    }
  }

  private static long events(List<EncodedSequence> seqs) {
    long n = 0;
    for (EncodedSequence s : seqs) {
      n += s.length();
    }
    return n;
  }

  private static long parameters(MaskedEventNet net) {
    long n = 0;
    for (var p : net.getParameters()) {
      n += p.getValue().getArray().size();
    }
    return n;
  }

  /**
   * Batches of windows of similar length: the shuffled order is cut into blocks of 32 batches, each
   * block sorted by window length (ties keep the shuffle) and its batches put in a random order. A
   * log of many short sequences (most of Taobao's are one or two events) then pads little.
   */
  static void byLength(int[] order, MaskedEventWindows w, int batch, Random random) {
    int block = batch * 32;
    for (int from = 0; from < order.length; from += block) {
      int to = Math.min(order.length, from + block);
      Integer[] part = new Integer[to - from];
      for (int i = 0; i < part.length; i++) {
        part[i] = order[from + i];
      }
      java.util.Arrays.sort(part, java.util.Comparator.comparingInt(r -> w.length(r)));
      int batches = (part.length + batch - 1) / batch;
      int[] which = io.seqwatch.engine.common.Windows.range(0, batches);
      io.seqwatch.engine.common.Windows.shuffle(which, random);
      int at = from;
      for (int b : which) {
        for (int i = b * batch; i < Math.min(part.length, (b + 1) * batch); i++) {
          order[at++] = part[i];
        }
      }
    }
  }

  /**
   * Hides events of a window: each with probability {@code rate}, at least one.
   */
  private static void draw(float[] mask, int at, int length, double rate, SplittableRandom random) {
    int hidden = 0;
    for (int j = 0; j < length; j++) {
      if (random.nextDouble() < rate) {
        mask[at + j] = 1f;
        hidden++;
      }
    }
    if (hidden == 0) {
      mask[at + random.nextInt(length)] = 1f;
    }
  }

  /** A seed for one use of one window. */
  private static long mix(long seed, int row, int use) {
    long h = seed * 0x9E3779B97F4A7C15L + row;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL + use;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private static long seed(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /**
   * Each of this data's tokens to the pretrained encoder's id: the same text, else the first encoder
   * token of the same canonical action type (Taobao {@code pv} and REES46 {@code view} are both
   * views), else unknown (1). Padding stays 0.
   */
  static int[] tokenMap(List<String> tokens, List<String> encoder) {
    Map<String, Integer> byText = new HashMap<>();
    Map<ActionType, Integer> byType = new HashMap<>();
    for (int i = 2; i < encoder.size(); i++) {
      byText.putIfAbsent(encoder.get(i), i);
      ActionType type = ActionType.fromAlias(encoder.get(i));
      if (type != ActionType.OTHER) {
        byType.putIfAbsent(type, i);
      }
    }
    int[] map = new int[tokens.size()];
    for (int i = 0; i < map.length; i++) {
      if (i < 2) {
        map[i] = i;
        continue;
      }
      Integer same = byText.get(tokens.get(i));
      ActionType type = ActionType.fromAlias(tokens.get(i));
      map[i] = same != null ? same : type != ActionType.OTHER && byType.containsKey(type) ? byType.get(type) : 1;
    }
    return map;
  }

  private static MaskedEventCheckpoint readCheckpoint(Path path) {
    try {
      return MaskedEventCheckpoint.read(path);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("pretrained=" + path + " holds no " + MaskedEventCheckpoint.FILE
          + "; give the folder `seqwatch pretrain --out` wrote");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the encoder checkpoint " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies saved weights into {@code net}'s own arrays (a trainer's parameter store keeps the arrays
   * it saw first, so they are overwritten in place rather than replaced).
   */
  static void copyInto(MaskedEventNet net, Model djl, byte[] weights, String what, MaskedEventConfig c) {
    try (ai.djl.ndarray.NDManager m = djl.getNDManager().newSubManager()) {
      MaskedEventNet staged = new MaskedEventNet(c);
      staged.loadParameters(m, new DataInputStream(new ByteArrayInputStream(weights)));
      var from = staged.getParameters();
      var to = net.getParameters();
      for (int i = 0; i < to.size(); i++) {
        NDArray source = from.get(i).getValue().getArray();
        NDArray target = to.get(i).getValue().getArray();
        if (!from.get(i).getKey().equals(to.get(i).getKey()) || !source.getShape().equals(target.getShape())) {
          throw new ModelFormatException(what + ": parameter " + from.get(i).getKey() + " " + source.getShape()
              + " does not fit " + to.get(i).getKey() + " " + target.getShape());
        }
        target.set(source.toFloatArray());
      }
    } catch (IOException | MalformedModelException | RuntimeException e) {
      if (e instanceof ModelFormatException f) {
        throw f;
      }
      throw new ModelFormatException(what + ": the weights do not fit an encoder of " + c.shape() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Restores the last checkpoint in {@code dir} when it was written for this data and these
   * options; the number of epochs it had done (0 without one).
   */
  private static int resume(Path dir, String fingerprint, int epochs, MaskedEventNet net, Model djl, ResumableAdam adam,
      MaskedEventConfig c) throws IOException {
    MaskedEventCheckpoint k;
    try {
      k = MaskedEventCheckpoint.read(dir.resolve(MaskedEventCheckpoint.FILE));
    } catch (NoSuchFileException e) {
      return 0;
    }
    String theirs = k.meta().contains("fingerprint") ? k.meta().string("fingerprint") : "";
    String run = fingerprint.substring(0, fingerprint.lastIndexOf('/'));
    if (!theirs.equals(fingerprint) && theirs.startsWith(run + "/")) {
      return 0; // this run at another learning rate: a diverged attempt's, which this retry replaces
    }
    if (!theirs.equals(fingerprint)) {
      throw new ConfigurationException("checkpoint-dir=" + dir + " holds a checkpoint of other data or options ("
          + theirs + ", this run " + fingerprint + "); use an empty folder, or the same input and options to resume");
    }
    int done = (int) k.meta().longValue("epochs-done");
    if (done > epochs) {
      throw new ConfigurationException("checkpoint-dir=" + dir + " holds " + done + " epochs, more than epochs=" + epochs);
    }
    if (k.optimiser().length == 0) {
      throw new ModelFormatException(dir + ": the checkpoint has no optimiser state to resume from");
    }
    copyInto(net, djl, k.weights(), "checkpoint-dir=" + dir, c);
    adam.read(new DataInputStream(new ByteArrayInputStream(k.optimiser())));
    return done;
  }

  private static MaskedEventCheckpoint checkpoint(MaskedEventNet net, ResumableAdam adam, MaskedEventConfig c,
      String fingerprint, int done, int epochs, int sequences, long events) throws IOException {
    Parameters.Builder b = Parameters.builder();
    c.writeTo(b);
    b.put("fingerprint", fingerprint).put("epochs-done", done).put("epochs", epochs)
        .put("data.sequences", Integer.toString(sequences)).put("data.events", Long.toString(events));
    ByteArrayOutputStream state = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(state)) {
      adam.write(d);
    }
    return new MaskedEventCheckpoint(b.build(), NextActionModel.weights(net), state.toByteArray());
  }

  @Override
  public io.seqwatch.spi.Model load(ArtifactReader in) throws IOException {
    if (!in.contains(MaskedEventModel.CONFIG) || !in.contains(MaskedEventModel.WEIGHTS)) {
      throw new ModelFormatException(NAME + " model: " + MaskedEventModel.CONFIG + " or " + MaskedEventModel.WEIGHTS
          + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(MaskedEventModel.CONFIG)) {
      p = Parameters.read(s);
    }
    ModelProvenance provenance = VectorModel.readProvenance(p);
    if (!provenance.detector().equals(NAME)) {
      throw new ModelFormatException(MaskedEventModel.CONFIG + " holds a '" + provenance.detector() + "' model, not '" + NAME + "'");
    }
    MaskedEventConfig c = MaskedEventConfig.readFrom(p);
    String deviceOption = provenance.options().getOrDefault("device", "auto");
    Model djl = Model.newInstance("seqwatch-" + NAME, DjlRuntime.device(deviceOption.equals("gpu") ? "auto" : deviceOption), "PyTorch");
    MaskedEventNet net = new MaskedEventNet(c);
    djl.setBlock(net);
    try (InputStream w = in.open(MaskedEventModel.WEIGHTS)) {
      net.initialize(djl.getNDManager(), DataType.FLOAT32, MaskedEventNet.shapes(1, c.window()));
      net.loadParameters(djl.getNDManager(), new DataInputStream(w));
      return new MaskedEventModel(provenance, c, p.strings("tokens"), p.ints("token-map"), djl, net);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      djl.close();
      if (e instanceof ModelFormatException m) {
        throw m;
      }
      throw new ModelFormatException(NAME + " model: " + MaskedEventModel.WEIGHTS + " does not fit an encoder of "
          + c.shape() + ": " + e.getMessage(), e);
    }
  }
}
