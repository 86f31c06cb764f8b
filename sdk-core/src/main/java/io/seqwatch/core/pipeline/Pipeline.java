package io.seqwatch.core.pipeline;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Observation;
import io.seqwatch.api.Score;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.io.FeatureTable;
import io.seqwatch.core.prep.EventTable;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.prep.Preprocessor;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.core.threshold.Segmenters;
import io.seqwatch.core.threshold.ThresholdSpec;
import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.FeatureExtractor;
import io.seqwatch.spi.FeatureExtractorProvider;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.SequenceEncoderProvider;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.TrainingListener;
import io.seqwatch.spi.TrainingSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An untrained pipeline: preprocessing, grouping, representation, detector and threshold policy.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *     .detector("isolation-forest").option("trees", "200")
 *     .grouping(Grouping.byActor())
 *     .threshold("quantile:0.99")
 *     .build();
 * try (FittedPipeline fitted = pipeline.fitEvents(trainingEvents)) {
 *   for (Score s : fitted.scoreEvents(newEvents)) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: immutable; {@link #fit} may run concurrently on different data.
 */
public final class Pipeline {
  private final Registries registries;
  private final DetectorProvider detectorProvider;
  private final Options detectorOptions;
  private final Detector detector;
  private final Grouping grouping;
  private final Preprocessor preprocessor;
  private final String thresholdSpec;
  private final ThresholdPolicy thresholdPolicy;
  private final String representationProvider;
  private final Options representationOptions;
  private final Optional<FeatureExtractorProvider> extractorProvider;
  private final Optional<SequenceEncoderProvider> encoderProvider;
  private final long seed;
  /** Threads for feature extraction and the scores of vector models (results equal one thread's). */
  private final int threads;
  private final TrainingListener listener;
  private final Optional<Pipeline> screen;
  private final String screenSpec;

  private Pipeline(Builder b) {
    this.registries = b.registries != null ? b.registries : Registries.discover();
    if (b.detector == null) {
      throw new ConfigurationException("no detector chosen; call detector(name), for example "
          + "detector(\"isolation-forest\"); found: " + String.join(", ", registries.detectors().names()));
    }
    // engine choice (where a name has several): the engine= option > -Dseqwatch.engine > priority
    java.util.Map<String, String> options = new java.util.LinkedHashMap<>(b.options);
    this.detectorProvider = registries.detectors().find(b.detector,
        Objects.requireNonNullElse(options.remove("engine"), ""));
    this.detectorOptions = Options.of(detectorProvider.options(), options);
    this.detector = detectorProvider.create(detectorOptions, registries);
    this.grouping = b.grouping;
    this.preprocessor = b.dropDuplicates ? Preprocessor.standard() : Preprocessor.keepDuplicates();
    this.thresholdSpec = b.threshold != null ? b.threshold : detectorProvider.defaultThreshold();
    this.thresholdPolicy = ThresholdSpec.parse(registries, thresholdSpec);
    boolean features = detector.input() == Representation.FEATURES;
    this.representationProvider = b.representation != null ? b.representation : features ? "behavior" : "tokens";
    if (features) {
      FeatureExtractorProvider p = registries.featureExtractors().find(representationProvider);
      this.representationOptions = Options.of(p.options(), withDetectorDefaults(p.options(), b.representationOptions));
      p.create(representationOptions); // fail at build time, not after reading the data
      this.extractorProvider = Optional.of(p);
      this.encoderProvider = Optional.empty();
    } else {
      SequenceEncoderProvider p = registries.encoders().find(representationProvider);
      this.representationOptions = Options.of(p.options(), withDetectorDefaults(p.options(), b.representationOptions));
      p.create(representationOptions);
      this.extractorProvider = Optional.empty();
      this.encoderProvider = Optional.of(p);
    }
    this.seed = b.seed;
    this.threads = b.threads;
    this.listener = b.listener;
    if (b.screenDetector != null && detector.supervised()) {
      throw new ConfigurationException("detector " + detector.name() + " learns from labelled anomalies; a screen "
          + "would take them out of its training data");
    }
    if (b.screenDetector != null) {
      Pipeline p = Pipeline.builder().registries(registries).detector(b.screenDetector).grouping(grouping)
          .dropDuplicates(b.dropDuplicates).threshold("contamination:" + b.screenShare).seed(b.seed).build();
      if (p.isSupervised()) {
        throw new ConfigurationException("screen detector " + b.screenDetector
            + " needs labels; screen with an unsupervised one such as isolation-forest");
      }
      this.screen = Optional.of(p);
      this.screenSpec = b.screenDetector + ":" + b.screenShare;
    } else {
      this.screen = Optional.empty();
      this.screenSpec = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the detector needs labels for training. */
  public boolean isSupervised() {
    return detector.supervised();
  }

  /** The grouping. */
  public Grouping grouping() {
    return grouping;
  }

  /** The preprocessor. */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** The caller's representation options over the detector's defaults for the keys the representation declares. */
  private Map<String, String> withDetectorDefaults(List<io.seqwatch.spi.OptionSpec> declared, Map<String, String> given) {
    Map<String, String> merged = new LinkedHashMap<>();
    detectorProvider.defaultRepresentationOptions().forEach((k, v) -> {
      if (declared.stream().anyMatch(o -> o.name().equals(k))) {
        merged.put(k, v);
      }
    });
    merged.putAll(given);
    return merged;
  }

  /** Preprocesses and groups raw events the way this pipeline will. */
  public List<BehaviorSequence> sequences(List<BehaviorEvent> events) {
    return grouping.group(preprocessor, events);
  }

  /**
   * Cleans and groups the events of a column store the way this pipeline will: the table's rows
   * are sorted, not copied, and each sequence is built from the table when read, so what is held
   * stays the table plus one {@code int} per event (see {@link EventTable}).
   */
  public io.seqwatch.core.prep.TableSequences sequences(EventTable events) {
    events.trim();
    return grouping.group(events, preprocessor.order(events, r -> { }));
  }

  /** Cleans and groups events, then fits. */
  public FittedPipeline fitEvents(List<BehaviorEvent> events) {
    return fit(sequences(events));
  }

  /** Fits on sequences with a threshold calibrated on the training scores. */
  public FittedPipeline fit(List<BehaviorSequence> training) {
    return fit(training, List.of(), Optional.empty());
  }

  /**
   * Fits on {@code sequences} (less those the {@linkplain Builder#screen screen}, if any, leaves
   * out); the {@code validation} sequences with a label in {@code labels} are scored and passed to
   * the threshold policy (needed by {@code max-f1}, {@code target-fpr}).
   *
   * @throws ConfigurationException when there are no training sequences
   */
  public FittedPipeline fit(List<BehaviorSequence> sequences, List<BehaviorSequence> validation, Labels labels) {
    return fit(sequences, validation, Optional.of(Objects.requireNonNull(labels, "labels")));
  }

  private FittedPipeline fit(List<BehaviorSequence> sequences, List<BehaviorSequence> validation,
      Optional<Labels> labels) {
    if (sequences.isEmpty()) {
      throw new ConfigurationException("no training sequences");
    }
    List<BehaviorSequence> training = screen.isPresent() ? screened(sequences) : sequences;
    int screenedOut = sequences.size() - training.size();
    Optional<FeatureExtractor> extractor = extractorProvider.map(p -> p.fit(representationOptions, training));
    Optional<FittedSequenceEncoder> encoder =
        encoderProvider.map(p -> p.create(representationOptions).fit(training));
    Map<String, String> repOptions = new LinkedHashMap<>(representationOptions.asMap());
    extractor.ifPresent(x -> repOptions.putAll(x.fittedOptions()));
    Representations reps = new Representations(representationProvider, repOptions, extractor, encoder);
    java.util.concurrent.atomic.LongAdder eventCount = new java.util.concurrent.atomic.LongAdder();
    List<Observation> obs = Parallel.map(training.size(), threads, i -> {
      eventCount.add(Representations.events(training, i));
      return reps.observe(training, i);
    });
    long events = eventCount.sum();
    Optional<List<Boolean>> trainLabels = Optional.empty();
    if (detector.supervised()) {
      Labels l = labels.orElseThrow(() -> new ConfigurationException(
          "detector " + detector.name() + " is supervised and needs labels for its training data"));
      List<Boolean> y = new ArrayList<>();
      for (BehaviorSequence s : training) {
        y.add(l.label(s.key()).orElseThrow(() -> new ConfigurationException(
            "training sequence '" + s.key() + "' has no label")));
      }
      trainLabels = Optional.of(y);
    }
    List<String> vocabulary = encoder.map(FittedSequenceEncoder::vocabulary).orElse(List.of());
    Model model = detector.fit(new TrainingSet(obs, trainLabels, vocabulary, seed, listener));
    try {
      double[] trainScores = calibrationScores(model, obs, trainLabels, vocabulary);
      CalibrationData data = CalibrationData.of(trainScores);
      List<Observation> vObs = new ArrayList<>();
      List<Boolean> vLabels = new ArrayList<>();
      if (labels.isPresent()) {
        for (BehaviorSequence s : validation) {
          Optional<Boolean> l = labels.get().label(s.key());
          if (l.isPresent()) {
            vObs.add(reps.observe(s));
            vLabels.add(l.get());
          }
        }
        if (!validation.isEmpty() && vObs.isEmpty()) {
          throw new ConfigurationException("none of the " + validation.size()
              + " validation sequences has a label; do the labels use the same keys?");
        }
        if (!vObs.isEmpty()) {
          boolean[] y = new boolean[vLabels.size()];
          for (int i = 0; i < y.length; i++) {
            y[i] = vLabels.get(i);
          }
          data = CalibrationData.of(trainScores, model.scoreAll(vObs), y);
        }
      }
      if (thresholdPolicy.segmentation().isPresent()) {
        Function<BehaviorSequence, String> seg = Segmenters.forName(thresholdPolicy.segmentation().get());
        List<String> validationSegments = new ArrayList<>();
        if (labels.isPresent()) {
          for (BehaviorSequence s : validation) {
            if (labels.get().label(s.key()).isPresent()) {
              validationSegments.add(seg.apply(s));
            }
          }
        }
        data = data.withSegments(training.stream().map(seg).toList(),
            data.validationScores().isPresent() ? validationSegments : List.of());
      }
      Threshold threshold = scaleChecked(thresholdPolicy.calibrate(data), model, obs, data);
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put("sequences", Integer.toString(training.size()));
      summary.put("events", Long.toString(events));
      summary.put("validation_sequences", Integer.toString(vObs.size()));
      summary.put("grouping", grouping.spec());
      summary.put("threshold_policy", thresholdSpec);
      if (screenSpec != null) {
        summary.put("screened_by", screenSpec);
        summary.put("screened_out", Integer.toString(screenedOut));
      }
      return new FittedPipeline(grouping, preprocessor.dropsDuplicates(), reps, model,
          detectorProvider, threshold, summary);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Fits on a plain feature table ({@link io.seqwatch.core.io.FeatureTableReader}): the rows are the detector's
   * feature vectors as they are, with no grouping or behaviour extraction. The threshold is
   * calibrated as for sequences (held-out scores where the policy asks for them). The bundle
   * records the table's columns; score tables with the same columns ({@link
   * FittedPipeline#scoreTable}).
   *
   * @throws ConfigurationException when the detector does not take feature vectors, needs labels,
   *     or the pipeline has a screen or a segmented threshold (both work on event sequences), or
   *     the table has no rows
   */
  public FittedPipeline fitTable(FeatureTable table) {
    if (detectorProvider.input() != Representation.FEATURES) {
      throw new ConfigurationException("detector " + detector.name() + " takes " + detectorProvider.input()
          + " input (event sequences), not a feature table; a table needs a feature detector such as "
          + "isolation-forest, knn, lof, hbos, zscore or ocsvm (see: seqwatch plugins)");
    }
    if (detector.supervised()) {
      throw new ConfigurationException("detector " + detector.name() + " is supervised; a feature table's label "
          + "column is never used for training. Train it on events with labels");
    }
    if (screen.isPresent() || thresholdPolicy.segmentation().isPresent()) {
      throw new ConfigurationException("a screen and a segmented threshold work on event sequences, not on a feature table");
    }
    if (table.rows().isEmpty()) {
      throw new ConfigurationException("the feature table has no rows to train on");
    }
    List<Observation> obs = table.rows().stream().map(Observation::of).toList();
    Model model = detector.fit(new TrainingSet(obs, Optional.empty(), List.of(), seed, listener));
    try {
      CalibrationData data = CalibrationData.of(calibrationScores(model, obs, Optional.empty(), List.of()));
      Threshold threshold = scaleChecked(thresholdPolicy.calibrate(data), model, obs, data);
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put("sequences", Integer.toString(obs.size()));
      summary.put("events", "0");
      summary.put("validation_sequences", "0");
      summary.put("input", "table");
      summary.put("threshold_policy", thresholdSpec);
      Representations reps = new Representations(Representations.TABLE,
          Map.of(Representations.COLUMNS, Representations.columnsOption(table.schema().names())), Optional.empty(),
          Optional.empty());
      return new FittedPipeline(grouping, false, reps, model, detectorProvider, threshold, summary);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The scores the threshold is calibrated on: held-out where the policy asks for them and there
   * are enough observations, else the model's own; refused when any is not finite. With labels
   * (a supervised detector) only the normal sequences' scores: a policy's risk is a false-alarm
   * rate, and the labels say which sequences are normal.
   */
  private double[] calibrationScores(Model model, List<Observation> obs, Optional<List<Boolean>> labels,
      List<String> vocabulary) {
    HeldOut h = usesHeldOut(obs) ? heldOutScores(obs, labels, vocabulary) : null;
    double[] scores = h != null ? h.scores() : Parallel.scoreAll(model, obs, threads);
    int[] used = java.util.stream.IntStream.range(0, scores.length)
        .filter(i -> (h == null || h.scored()[i]) && (labels.isEmpty() || !labels.get().get(i))).toArray();
    double[] all = java.util.Arrays.stream(used).mapToDouble(i -> scores[i]).toArray();
    long bad = java.util.Arrays.stream(all).filter(v -> !Double.isFinite(v)).count();
    if (bad > 0) {
      throw new io.seqwatch.api.ModelFormatException(detector.name() + " gave " + bad + " of " + all.length
          + " training sequences a NaN or infinite score, which no threshold can be calibrated on, so no model was "
          + "made. The fit degenerated: try other detector options (e.g. a lower learning-rate) or look for "
          + "extreme values in the input");
    }
    if (all.length == 0) {
      throw new ConfigurationException("every training sequence is labelled anomalous; a threshold needs normal ones");
    }
    return all;
  }

  /**
   * How much larger a share of the final model's own training sequences than of the held-out
   * scores a threshold calibrated on the held-out scores may flag before it is refitted on the
   * model's own scores instead.
   */
  static final double SCALE_CHECK_SHARE = 0.2;

  private boolean usesHeldOut(List<Observation> obs) {
    return thresholdPolicy.calibratesOnHeldOut() && obs.size() >= MIN_HELD_OUT;
  }

  /**
   * Held-out scores come from models fitted on part of the data; a score with few distinct values
   * (e.g. a next-event model's largest surprisal on a log with one action type) can sit on a
   * slightly different scale in the final model, and a threshold just below one of its tied levels
   * then flags a whole level: a fifth or more of the traffic. When the threshold flags more of the
   * final model's own training scores than of the held-out ones by over {@link #SCALE_CHECK_SHARE},
   * the same policy is refitted on the model's own scores, and the threshold's details say so.
   */
  private Threshold scaleChecked(Threshold t, Model model, List<Observation> obs, CalibrationData data) {
    if (!usesHeldOut(obs) || detector.supervised() || data.validationScores().isPresent()
        || thresholdPolicy.segmentation().isPresent()) {
      return t;
    }
    double[] own = Parallel.scoreAll(model, obs, threads);
    long above = java.util.Arrays.stream(own).filter(v -> v > t.value()).count();
    double[] held = data.trainingScores();
    double heldShare = java.util.Arrays.stream(held).filter(v -> v > t.value()).count() / (double) held.length;
    if (above / (double) own.length - heldShare <= SCALE_CHECK_SHARE
        || java.util.Arrays.stream(own).anyMatch(v -> !Double.isFinite(v))) {
      return t;
    }
    Threshold refit = thresholdPolicy.calibrate(CalibrationData.of(own));
    Map<String, String> details = new LinkedHashMap<>(refit.details());
    details.put("scale_check", String.format(java.util.Locale.ROOT, "the held-out threshold %.6g flagged %.1f %% of "
        + "the training sequences; refitted on the model's own scores", t.value(), 100.0 * above / own.length));
    return new Threshold(refit.value(), refit.policy(), details, refit.segmentation(), refit.segments());
  }

  /** Fewest training sequences for held-out calibration; below it, the training scores. */
  static final int MIN_HELD_OUT = 10;
  /** Up to this many training sequences, five folds; above it, one held-out fifth. */
  static final int CROSS_FIT_LIMIT = 2_000;

  /**
   * Scores of training observations by models that did not fit them: with up to {@link
   * #CROSS_FIT_LIMIT} sequences every one is scored by the model of the other four of five folds;
   * above it one fifth is held out of one extra fit. Folds are drawn with the pipeline's seed.
   */
  private HeldOut heldOutScores(List<Observation> obs, Optional<List<Boolean>> labels, List<String> vocabulary) {
    int n = obs.size();
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, n).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(seed ^ 0x9E3779B97F4A7C15L));
    int folds = 5;
    int rounds = n <= CROSS_FIT_LIMIT ? folds : 1;
    double[] scores = new double[n];
    boolean[] scored = new boolean[n];
    for (int f = 0; f < rounds; f++) {
      List<Observation> fit = new ArrayList<>();
      List<Boolean> fitLabels = new ArrayList<>();
      List<Integer> held = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        int i = order.get(j);
        if (j % folds == f) {
          held.add(i);
        } else {
          fit.add(obs.get(i));
          labels.ifPresent(y -> fitLabels.add(y.get(i)));
        }
      }
      Optional<List<Boolean>> foldLabels = labels.map(y -> fitLabels);
      try (Model m = detector.fit(new TrainingSet(fit, foldLabels, vocabulary, seed + f + 1, TrainingListener.NONE,
          TrainingSet.Purpose.HELD_OUT))) {
        double[] s = Parallel.scoreAll(m, held.stream().map(obs::get).toList(), threads);
        for (int j = 0; j < s.length; j++) {
          scores[held.get(j)] = s[j];
          scored[held.get(j)] = true;
        }
      }
    }
    return new HeldOut(scores, scored);
  }

  /** Held-out scores aligned with the observations; {@code scored} is false for those never held out. */
  private record HeldOut(double[] scores, boolean[] scored) {}

  /** The training sequences the screen detector does not flag. */
  private List<BehaviorSequence> screened(List<BehaviorSequence> training) {
    try (FittedPipeline s = screen.orElseThrow().fit(training)) {
      Set<String> flagged = new HashSet<>();
      for (Score sc : s.score(training, threads)) {
        if (sc.anomalous()) {
          flagged.add(sc.key());
        }
      }
      List<BehaviorSequence> kept = new ArrayList<>(training.size());
      for (BehaviorSequence b : training) {
        if (!flagged.contains(b.key())) {
          kept.add(b);
        }
      }
      if (kept.isEmpty()) {
        throw new ConfigurationException("the screen " + screenSpec + " left no training sequences");
      }
      return kept;
    }
  }

  /**
   * Collects a pipeline's settings; each setter checks its argument at once. Not thread-safe.
   */
  public static final class Builder {
    private Registries registries;
    private String detector;
    private final Map<String, String> options = new LinkedHashMap<>();
    private Grouping grouping = Grouping.byActor();
    private boolean dropDuplicates = true;
    private String threshold;
    private String representation;
    private final Map<String, String> representationOptions = new LinkedHashMap<>();
    private long seed = 42;
    private int threads = Parallel.allCores();
    private TrainingListener listener = TrainingListener.NONE;
    private String screenDetector;
    private double screenShare;

    private Builder() {}

    /**
     * Screens the training data before fitting: {@code detector} (default options, same grouping)
     * is fitted on the training sequences and the {@code share} it scores highest is left out, so
     * that a model of normal behaviour is not taught the abuse already in unlabelled traffic. A
     * feature detector screening for a next-event model is the usual pairing: the bots it finds no
     * longer teach the sequence model their patterns, and the sequence model finds the ones it
     * misses. The bundle records the screen and how many sequences it left out.
     *
     * @throws ConfigurationException when {@code share} is not in (0, 0.5]
     */
    public Builder screen(String detector, double share) {
      if (!(share > 0 && share <= 0.5)) {
        throw new ConfigurationException("screen share must be in (0, 0.5]: " + share);
      }
      this.screenDetector = Objects.requireNonNull(detector, "detector");
      this.screenShare = share;
      return this;
    }

    /**
     * {@link #screen(String, double)} from {@code name:share}, for example {@code
     * isolation-forest:0.05}.
     *
     * @throws ConfigurationException when the spec has no share or it is not a number
     */
    public Builder screen(String spec) {
      // the spec grammar (ProviderSpec): a detector name and the share as its bare value
      io.seqwatch.core.registry.ProviderSpec s = io.seqwatch.core.registry.ProviderSpec.parse("screen",
          Objects.requireNonNull(spec, "spec"), List.of(SCREEN_SHARE));
      String share = s.values().get(SCREEN_SHARE.name());
      if (s.name().isEmpty() || share == null || s.values().size() != 1) {
        throw new ConfigurationException("screen must be name:share, for example isolation-forest:0.05: " + spec);
      }
      try {
        return screen(s.name(), Double.parseDouble(share));
      } catch (NumberFormatException e) {
        throw new ConfigurationException("screen share is not a number: " + spec);
      }
    }

    private static final io.seqwatch.spi.OptionSpec SCREEN_SHARE =
        io.seqwatch.spi.OptionSpec.ofDouble("share", 0.05, "share of training sequences the screen leaves out");

    /** Providers to use (default: discovered from the context class loader). */
    public Builder registries(Registries r) {
      this.registries = Objects.requireNonNull(r, "registries");
      return this;
    }

    /** Detector by provider name, for example {@code isolation-forest}. */
    public Builder detector(String name) {
      this.detector = Objects.requireNonNull(name, "name");
      return this;
    }

    /** One detector option. */
    public Builder option(String key, String value) {
      options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /** Several detector options. */
    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }

    /** How events become sequences (default: by actor). */
    public Builder grouping(Grouping g) {
      this.grouping = Objects.requireNonNull(g, "grouping");
      return this;
    }

    /** Whether exact duplicate events are dropped (default true). */
    public Builder dropDuplicates(boolean drop) {
      this.dropDuplicates = drop;
      return this;
    }

    /**
     * Threshold policy spec. Default: the detector's own ({@link
     * io.seqwatch.spi.DetectorProvider#defaultThreshold()}), {@code evt:0.01} for most: an
     * extreme-value tail of held-out scores, so about 1 % of new normal sequences are flagged
     * whatever the training set's size.
     */
    public Builder threshold(String spec) {
      this.threshold = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /**
     * Feature extractor or encoder provider name (default {@code behavior} for vector detectors,
     * {@code tokens} for sequence detectors).
     */
    public Builder representation(String name) {
      this.representation = Objects.requireNonNull(name, "name");
      return this;
    }

    /** One option of the feature extractor or encoder. */
    public Builder representationOption(String key, String value) {
      representationOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /** Random seed (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Threads for feature extraction and for the scores that calibrate the threshold (default: every
     * core). The fitted model and its threshold are the same for any number of threads.
     */
    public Builder threads(int n) {
      FittedPipeline.requireThreads(n);
      this.threads = n;
      return this;
    }

    /** Training progress receiver. */
    public Builder listener(TrainingListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * Resolves providers and validates options.
     *
     * @throws ConfigurationException or {@link io.seqwatch.api.ProviderNotFoundException} with the
     *     fix
     */
    public Pipeline build() {
      return new Pipeline(this);
    }
  }
}
