package io.seqwatch.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.api.Score;
import io.seqwatch.core.io.FeatureTable;
import io.seqwatch.core.prep.EventTable;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.threshold.Segmenters;
import io.seqwatch.core.threshold.StreamingQuantile;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.FeatureExtractorProvider;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.SequenceEncoderProvider;
import io.seqwatch.spi.Threshold;
import io.seqwatch.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A trained pipeline: groups events, represents sequences, scores them and decides with a calibrated
 * threshold. Saves to and loads from a bundle folder or {@code .zip}.
 *
 * <pre>{@code
 * try (FittedPipeline p = FittedPipeline.load(Path.of("model"))) {
 *   List<Score> scores = p.scoreEvents(events);
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent scoring; {@link #close()} releases the model's native memory
 * and must not race with scoring.
 */
public final class FittedPipeline implements AutoCloseable {
  /** Bundle format this build writes and reads. */
  public static final int FORMAT_VERSION = BundleManifest.FORMAT_VERSION;
  /** How many reasons a score carries. */
  public static final int REASONS = 3;

  private final Grouping grouping;
  private final boolean dropDuplicates;
  private final Representations representations;
  private final Model model;
  private final DetectorProvider detectorProvider;
  private final Threshold threshold;
  private final Optional<Function<BehaviorSequence, String>> segmenter;
  private final Map<String, String> trainingSummary;

  FittedPipeline(Grouping grouping, boolean dropDuplicates, Representations representations,
      Model model, DetectorProvider detectorProvider, Threshold threshold,
      Map<String, String> trainingSummary) {
    this.grouping = grouping;
    this.dropDuplicates = dropDuplicates;
    this.representations = representations;
    this.model = model;
    this.detectorProvider = detectorProvider;
    this.threshold = threshold;
    this.segmenter = threshold.segmented()
        ? Optional.of(Segmenters.forName(threshold.segmentation())) : Optional.empty();
    this.trainingSummary = Map.copyOf(trainingSummary);
  }

  /** The decision for a score of sequence {@code s} (per segment when the threshold is segmented). */
  private boolean decide(BehaviorSequence s, double score) {
    return segmenter.map(f -> threshold.isAnomalous(score, f.apply(s))).orElseGet(() -> threshold.isAnomalous(score));
  }

  /**
   * For {@code streaming-quantile} thresholds: the running quantile estimate, resumed from the
   * state at the end of training, to be updated with every new score in online use.
   */
  public Optional<StreamingQuantile> adaptiveThreshold() {
    return threshold.policy().startsWith("streaming-quantile")
        ? Optional.of(StreamingQuantile.fromState(threshold.details())) : Optional.empty();
  }

  /**
   * The decision for a score of a sequence with this key and number of events (per segment when the
   * threshold is segmented); what streaming uses.
   */
  public boolean isAnomalous(String key, int size, double score) {
    return threshold.segmented()
        ? threshold.isAnomalous(score, Segmenters.byKeyAndSize(threshold.segmentation()).apply(key, size))
        : threshold.isAnomalous(score);
  }

  /** Whether exact duplicate events are dropped before grouping, as in training. */
  public boolean dropsDuplicates() {
    return dropDuplicates;
  }

  /** The feature extractor, for feature detectors. */
  public Optional<io.seqwatch.spi.FeatureExtractor> featureExtractor() {
    return representations.extractor();
  }

  /** The fitted sequence encoder, for sequence detectors. */
  public Optional<FittedSequenceEncoder> encoder() {
    return representations.encoder();
  }

  /** The calibrated threshold. */
  public Threshold threshold() {
    return threshold;
  }

  /** The same pipeline with another threshold (the model is shared, not copied). */
  public FittedPipeline withThreshold(Threshold t) {
    return new FittedPipeline(grouping, dropDuplicates, representations, model, detectorProvider, t,
        trainingSummary);
  }

  /** The trained model. */
  public Model model() {
    return model;
  }

  /** Where the model came from. */
  public ModelProvenance provenance() {
    return model.provenance();
  }

  /** Summary of the training data (sequences, events, grouping, policy). */
  public Map<String, String> trainingSummary() {
    return trainingSummary;
  }

  /** How events are grouped. */
  public Grouping grouping() {
    return grouping;
  }

  /** Cleans and groups raw events as in training. */
  public List<BehaviorSequence> sequences(List<BehaviorEvent> events) {
    Preprocessor p = dropDuplicates ? Preprocessor.standard() : Preprocessor.keepDuplicates();
    return grouping.group(p, events);
  }

  /**
   * Cleans and groups a column store's events as in training; the sequences are built from the table
   * when read (see {@link EventTable}).
   */
  public io.seqwatch.core.prep.TableSequences sequences(EventTable events) {
    Preprocessor p = dropDuplicates ? Preprocessor.standard() : Preprocessor.keepDuplicates();
    events.trim();
    return grouping.group(events, p.order(events, r -> { }));
  }

  /** The representation of one sequence. */
  public Observation observe(BehaviorSequence s) {
    return representations.observe(s);
  }

  /**
   * The embedding of each sequence, for a model that gives them ({@link io.seqwatch.spi.Embedder},
   * e.g. {@code masked-transformer}).
   *
   * @throws io.seqwatch.api.ConfigurationException when the detector embeds nothing
   */
  public List<float[]> embed(List<BehaviorSequence> sequences) {
    if (!(model instanceof io.seqwatch.spi.Embedder e)) {
      throw new io.seqwatch.api.ConfigurationException(model.detector() + " gives no embeddings; train an encoder "
          + "that does, e.g. --detector masked-transformer (or seqwatch pretrain)");
    }
    List<Observation> obs = new java.util.ArrayList<>(sequences.size());
    for (BehaviorSequence s : sequences) {
      obs.add(observe(s));
    }
    return e.embed(obs);
  }

  /** Scores one sequence with its top reasons. */
  public Score score(BehaviorSequence s) {
    Observation o = observe(s);
    double v = finite(s.key(), model.score(o));
    boolean anomalous = decide(s, v);
    return new Score(s.key(), v, anomalous, explain(o, anomalous));
  }

  /**
   * The top reasons for a score of {@code o}; for an anomalous one also what its features imply
   * together ({@link io.seqwatch.spi.FeatureExtractor#context}: what is new for its actor).
   */
  public io.seqwatch.api.Explanation explain(Observation o, boolean anomalous) {
    io.seqwatch.api.Explanation why = model.explain(o, REASONS);
    if (!anomalous || o.features().isEmpty() || representations.extractor().isEmpty()) {
      return why;
    }
    Optional<io.seqwatch.api.Contribution> c = representations.extractor().get().context(o.features().get());
    if (c.isEmpty()) {
      return why;
    }
    List<io.seqwatch.api.Contribution> all = new java.util.ArrayList<>(why.contributions());
    all.add(c.get());
    return new io.seqwatch.api.Explanation(all);
  }

  /** Scores sequences, in order, each with its top reasons, on every core. */
  public List<Score> score(List<BehaviorSequence> sequences) {
    return score(sequences, Parallel.allCores());
  }

  /**
   * Scores sequences, in order, each with its top reasons, on up to {@code threads} threads (feature
   * extraction, the scores of vector models, the reasons); any number of threads gives the scores
   * of one, bit for bit.
   */
  public List<Score> score(List<BehaviorSequence> sequences, int threads) {
    requireThreads(threads);
    List<Observation> obs = Parallel.map(sequences.size(), threads, i -> representations.observe(sequences, i));
    // a segmented threshold reads the sequence again; the plain one needs only the score (a table's
    // sequences are built each time they are read)
    return scored(obs, segmenter.isEmpty() ? (i, v) -> threshold.isAnomalous(v) : (i, v) -> decide(sequences.get(i), v),
        threads);
  }

  /** Sequences per block of {@link #score(List, int, java.util.function.Consumer)} for models that score row by row. */
  static final int BLOCK = 16_384;

  /**
   * Scores sequences as {@link #score(List, int)} does and hands the scores to {@code out} in order
   * as each block of sequences is done, so that the observations and scores held are one block's,
   * not the list's (for models that score each sequence on its own, such as the vector models and
   * markov; a neural model, whose batches could round differently, scores the list in one block).
   */
  public void score(List<BehaviorSequence> sequences, int threads, java.util.function.Consumer<Score> out) {
    score(sequences, threads, out, BLOCK);
  }

  /** As {@link #score(List, int, java.util.function.Consumer)} in blocks of {@code rowWiseBlock} for row-wise models. */
  void score(List<BehaviorSequence> sequences, int threads, java.util.function.Consumer<Score> out, int rowWiseBlock) {
    requireThreads(threads);
    java.util.Objects.requireNonNull(out, "out");
    int block = Parallel.rowWise(model) ? rowWiseBlock : Math.max(1, sequences.size());
    for (int from = 0; from < sequences.size(); from += block) {
      score(sequences.subList(from, Math.min(sequences.size(), from + block)), threads).forEach(out);
    }
  }

  static void requireThreads(int threads) {
    if (threads < 1) {
      throw new ConfigurationException("threads must be at least 1: " + threads);
    }
  }

  /** How a batch's i-th score is decided. */
  @FunctionalInterface
  private interface Decision {
    boolean anomalous(int i, double score);
  }

  /** Scores observations, in order, each finite, decided and with its top reasons. */
  private List<Score> scored(List<Observation> obs, Decision decision, int threads) {
    double[] v = Parallel.scoreAll(model, obs, threads);
    for (int i = 0; i < v.length; i++) {
      finite(obs.get(i).key(), v[i]);
    }
    return Parallel.map(v.length, threads, i -> {
      String key = obs.get(i).key();
      boolean anomalous = decision.anomalous(i, v[i]);
      return new Score(key, v[i], anomalous, explain(obs.get(i), anomalous));
    });
  }

  /** A score, or a clear error instead of a NaN or infinite one reaching a decision or an output. */
  private double finite(String key, double v) {
    if (!Double.isFinite(v)) {
      throw new io.seqwatch.api.ModelFormatException("the model (" + model.detector() + ") scored '" + key + "' " + v
          + "; a non-finite score is never written or alerted on. The bundle's weights may be damaged: retrain it");
    }
    return v;
  }

  /** Whether this pipeline was fitted on a feature table ({@link Pipeline#fitTable}) rather than on events. */
  public boolean isTable() {
    return representations.isTable();
  }

  /** The feature columns a table pipeline expects; empty for an event pipeline. */
  public List<String> tableColumns() {
    return isTable() ? representations.columns() : List.of();
  }

  /**
   * Scores the rows of a feature table, in order, each with its top reasons. The table needs the
   * columns the pipeline was fitted on, in any order.
   *
   * @throws ConfigurationException when this pipeline was fitted on events, or columns are missing
   *     or unknown
   */
  public List<Score> scoreTable(FeatureTable table) {
    if (!isTable()) {
      throw new ConfigurationException("this model was trained on event sequences with the "
          + representations.provider() + " representation, not on a feature table: score events with it");
    }
    List<String> expected = representations.columns();
    List<String> found = table.schema().names();
    if (!found.equals(expected)) {
      List<String> missing = expected.stream().filter(c -> !found.contains(c)).toList();
      List<String> extra = found.stream().filter(c -> !expected.contains(c)).toList();
      if (!missing.isEmpty() || !extra.isEmpty()) {
        throw new ConfigurationException("the feature table's columns do not match the model's: "
            + (missing.isEmpty() ? "" : "missing " + missing) + (missing.isEmpty() || extra.isEmpty() ? "" : ", ")
            + (extra.isEmpty() ? "" : "not in the model " + extra) + "; the model was trained on " + expected);
      }
    }
    FeatureSchema schema = new FeatureSchema(expected);
    int[] at = expected.stream().mapToInt(found::indexOf).toArray();
    List<Observation> obs = new ArrayList<>(table.rows().size());
    for (FeatureVector row : table.rows()) {
      double[] v = new double[at.length];
      for (int j = 0; j < at.length; j++) {
        v[j] = row.get(at[j]);
      }
      obs.add(Observation.of(new FeatureVector(row.key(), schema, v)));
    }
    return scored(obs, (i, v) -> threshold.isAnomalous(v), Parallel.allCores());
  }

  /** Cleans, groups and scores raw events. */
  public List<Score> scoreEvents(List<BehaviorEvent> events) {
    return score(sequences(events));
  }

  /** As {@link #scoreEvents(List)}, on up to {@code threads} threads. */
  public List<Score> scoreEvents(List<BehaviorEvent> events, int threads) {
    return score(sequences(events), threads);
  }

  /**
   * Saves a bundle to a folder, or to a zip when {@code target} ends in {@code .zip}, atomically:
   * the bundle is written and synced beside the target and renamed into place, so a crash leaves
   * either the previous bundle or the new one, never a torn one. Replacing a folder bundle swaps
   * folders in two renames; a crash between them leaves the previous bundle at {@code
   * .<name>.previous}, which {@link #load} names. Other files in a replaced folder (such as {@code
   * train}'s {@code rejected.csv}) are kept.
   *
   * <p>Layout: {@code manifest.json}, {@code manifest.sha256}, {@code detector/...}, and {@code
   * encoder/...} for sequence detectors.
   */
  public void save(Path target) throws IOException {
    save(target, Optional.empty());
  }

  /**
   * Saves as {@link #save(Path)} does, with the manifest signed by {@code key} ({@code
   * manifest.sig}): a loader given the key refuses the bundle if anything in it changes.
   */
  public void save(Path target, SigningKey key) throws IOException {
    save(target, Optional.of(key));
  }

  private void save(Path target, Optional<SigningKey> key) throws IOException {
    BundleStore store = new BundleStore();
    model.save(store.writer("detector"));
    write(store, target, detectorProvider.engine(), model.provenance().engine(), key);
  }

  /**
   * Saves a bundle whose detector is exported for another engine, for example {@code onnx}: the
   * network is written in the target engine's format, everything else (grouping, encoder, threshold)
   * is unchanged. The bundle loads with the provider of the same detector name on the target engine,
   * which may be the only engine on the scoring application's class path.
   *
   * <pre>{@code
   * try (FittedPipeline p = FittedPipeline.load(Path.of("model"))) {
   *   p.export(Path.of("model-onnx"), "onnx");
   * }
   * }</pre>
   *
   * @throws ConfigurationException when this detector cannot be exported to {@code engine}
   */
  public void export(Path target, String engine) throws IOException {
    export(target, engine, Optional.empty());
  }

  /** Exports as {@link #export(Path, String)} does, with the manifest signed by {@code key}. */
  public void export(Path target, String engine, SigningKey key) throws IOException {
    export(target, engine, Optional.of(key));
  }

  private void export(Path target, String engine, Optional<SigningKey> key) throws IOException {
    java.util.Set<String> targets = model instanceof io.seqwatch.spi.Exportable x
        ? new java.util.TreeSet<>(x.exportTargets()) : java.util.Set.of();
    if (!targets.contains(engine)) {
      throw new ConfigurationException("the " + model.detector() + " model (engine " + detectorProvider.engine()
          + ") cannot be exported to " + engine + (targets.isEmpty() ? "; it has no export"
          : "; it exports to " + String.join(", ", targets)));
    }
    BundleStore store = new BundleStore();
    io.seqwatch.spi.Exportable exportable = (io.seqwatch.spi.Exportable) model;
    exportable.export(engine, store.writer("detector"));
    write(store, target, exportable.engine(engine), engine, key);
  }

  private void write(BundleStore store, Path target, String engine, String engineDescription, Optional<SigningKey> key)
      throws IOException {
    if (representations.encoder().isPresent()) {
      representations.encoder().get().save(store.writer("encoder"));
    }
    if (representations.extractor().isPresent()) {
      representations.extractor().get().save(store.writer("extractor"));
    }
    ObjectNode m = new BundleManifest(grouping, dropDuplicates, model.input(), representations.provider(),
        representations.options(), detectorProvider.name(), Optional.of(engine), threshold, trainingSummary)
        .toJson(detectorProvider.version(), model.provenance(), engineDescription);
    store.save(target, m, key);
  }

  /**
   * Loads a zip bundle from a stream (a class-path resource, a URL, an object store), with the same
   * checks as a file: the bytes go to a temporary file, which is deleted once the bundle is loaded.
   * The caller closes the stream.
   */
  public static FittedPipeline load(java.io.InputStream zip) throws IOException {
    Path tmp = java.nio.file.Files.createTempFile("seqwatch-bundle-", ".zip");
    try {
      java.nio.file.Files.copy(zip, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return load(tmp);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  /** Loads a bundle with providers discovered from the context class loader. */
  public static FittedPipeline load(Path source) throws IOException {
    return load(source, Registries.discover());
  }

  /**
   * Loads and verifies a bundle.
   *
   * @throws ModelFormatException when the bundle is corrupt, incomplete or of another format version
   * @throws ProviderNotFoundException when a provider it needs is not on the class path
   */
  public static FittedPipeline load(Path source, Registries registries) throws IOException {
    return verifyAndLoad(source, registries, Optional.empty());
  }

  /**
   * Loads a bundle that must be signed with {@code key}: an unsigned bundle, one signed with
   * another key, or one edited after signing is refused with a message saying which.
   */
  public static FittedPipeline load(Path source, SigningKey key) throws IOException {
    return verifyAndLoad(source, Registries.discover(), Optional.of(key));
  }

  /** Loads a bundle that must be signed with {@code key}, with these providers. */
  public static FittedPipeline load(Path source, Registries registries, SigningKey key) throws IOException {
    return verifyAndLoad(source, registries, Optional.of(key));
  }

  private static FittedPipeline verifyAndLoad(Path source, Registries registries, Optional<SigningKey> key)
      throws IOException {
    BundleStore store = new BundleStore();
    BundleManifest manifest = BundleManifest.read(store.load(source, key), source);
    String where = "model bundle " + source + ": manifest.json ";
    Representation rep = manifest.representation();
    String repProvider = manifest.representationProvider();
    Map<String, String> repOptions = manifest.representationOptions();
    DetectorProvider dp = detectorFor(registries, manifest.engine(), manifest.detector(), source);
    Optional<io.seqwatch.spi.FeatureExtractor> extractor = Optional.empty();
    Optional<FittedSequenceEncoder> encoder = Optional.empty();
    if (rep == Representation.FEATURES && repProvider.equals(Representations.TABLE)) {
      new Representations(repProvider, repOptions, extractor, encoder).columns(); // refuses a malformed list
    } else if (rep == Representation.FEATURES) {
      FeatureExtractorProvider fp = need(registries.featureExtractors().lookup(repProvider),
          "feature extractor", repProvider, source, registries.featureExtractors().names());
      extractor = Optional.of(fp.load(Options.of(fp.options(), repOptions), store.reader("extractor")));
    } else {
      SequenceEncoderProvider ep = need(registries.encoders().lookup(repProvider), "sequence encoder",
          repProvider, source, registries.encoders().names());
      encoder = Optional.of(ep.load(store.reader("encoder")));
    }
    Model model = dp.load(store.reader("detector"), registries);
    if (extractor.isPresent() && model instanceof io.seqwatch.spi.support.VectorModel vm
        && !vm.statistics().schema().equals(extractor.get().schema())) {
      List<String> trained = vm.statistics().schema().names();
      List<String> now = extractor.get().schema().names();
      model.close();
      throw new ModelFormatException(where + "was trained on " + trained.size() + " '" + repProvider
          + "' features, but this version's extractor computes " + now.size() + " (only in the bundle: "
          + difference(trained, now) + "; new: " + difference(now, trained) + "): train the bundle again with "
          + "this version");
    }
    return new FittedPipeline(manifest.grouping(), manifest.dropDuplicates(),
        new Representations(repProvider, repOptions, extractor, encoder), model, dp, manifest.threshold(),
        manifest.training());
  }

  private static List<String> difference(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.removeAll(b);
    return out;
  }

  /** The provider of the bundle's detector on the engine that wrote it (any engine for old bundles). */
  private static DetectorProvider detectorFor(Registries registries, Optional<String> bundleEngine, String name,
      Path source) {
    if (bundleEngine.isEmpty()) {
      return need(registries.detectors().lookup(name), "detector", name, source, registries.detectors().names());
    }
    String engine = bundleEngine.get();
    Optional<DetectorProvider> p = registries.detectors().lookup(name, engine);
    if (p.isPresent()) {
      return p.get();
    }
    List<String> others = registries.detectors().variants(name);
    if (others.isEmpty()) {
      return need(Optional.empty(), "detector", name, source, registries.detectors().names());
    }
    String artifact = engine.equals(DetectorProvider.JVM) ? "the plugin that provides '" + name + "'"
        : "io.seqwatch:seqwatch-engine-" + engine;
    throw new ProviderNotFoundException("model bundle " + source + " holds a '" + name + "' model for the "
        + engine + " engine, which is not on the class path ('" + name + "' is found only for the engine"
        + (others.size() > 1 ? "s " : " ") + String.join(", ", others) + "). Add " + artifact + " as a dependency"
        + (engine.equals(DetectorProvider.JVM) ? "." : ", or score the bundle it was exported from."));
  }

  private static <P> P need(Optional<P> p, String noun, String name, Path source, List<String> found) {
    return p.orElseThrow(() -> new ProviderNotFoundException("model bundle " + source + " needs the "
        + noun + " '" + name + "', which is not on the class path (found: "
        + (found.isEmpty() ? "none" : String.join(", ", found))
        + "). Add the plugin or engine that provides '" + name + "' as a dependency."));
  }

  /** This build's version. */
  public static String version() {
    String v = FittedPipeline.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void close() {
    model.close();
  }
}
