package io.seqwatch.spi.support;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Provider;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base for models over feature vectors: checks the schema, explains a score by per-feature
 * contributions with the training median as "typical" (features whose value lies inside the
 * training interquartile range are not reasons), and persists provenance, training
 * statistics and the subclass's parameters in one {@code model.bin} ({@link Parameters} layout).
 *
 * <p>A subclass implements {@link #score(double[])}, {@link #contributions(double[])} and {@link
 * #writeParameters}; its provider's {@code load} calls {@link #readModelFile} and rebuilds the model
 * from the returned parameters.
 *
 * <p>Thread-safety: subclasses must be immutable after construction, which makes scoring safe from
 * any number of threads.
 */
public abstract class VectorModel implements Model {
  /** File name of the saved model. */
  public static final String FILE = "model.bin";

  private final ModelProvenance provenance;
  private final FeatureStatistics statistics;

  protected VectorModel(ModelProvenance provenance, FeatureStatistics statistics) {
    this.provenance = provenance;
    this.statistics = statistics;
  }

  /** Training statistics. */
  public final FeatureStatistics statistics() {
    return statistics;
  }

  @Override
  public final String detector() {
    return provenance.detector();
  }

  @Override
  public final Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public final ModelProvenance provenance() {
    return provenance;
  }

  /** Score of raw feature values in schema order; finite, higher is more anomalous. */
  protected abstract double score(double[] x);

  /** Non-negative importance of each feature for the score of {@code x}. */
  protected abstract double[] contributions(double[] x);

  /** Adds the detector's own parameters. */
  protected abstract void writeParameters(Parameters.Builder b);

  @Override
  public final double score(Observation o) {
    FeatureVector v = o.requireFeatures();
    statistics.requireSchema(v);
    double s = score(v.values());
    if (!Double.isFinite(s)) {
      throw new IllegalStateException(detector() + " produced a non-finite score " + s + " for '" + o.key() + "'");
    }
    return s;
  }

  /** Scores many observations through {@link #scoreRows}, each checked as {@link #score(Observation)} checks it. */
  @Override
  public final double[] scoreAll(List<Observation> observations) {
    double[][] rows = new double[observations.size()][];
    for (int i = 0; i < rows.length; i++) {
      FeatureVector v = observations.get(i).requireFeatures();
      statistics.requireSchema(v);
      rows[i] = v.values();
    }
    double[] s = scoreRows(rows);
    for (int i = 0; i < s.length; i++) {
      if (!Double.isFinite(s[i])) {
        throw new IllegalStateException(detector() + " produced a non-finite score " + s[i] + " for '"
            + observations.get(i).key() + "'");
      }
    }
    return s;
  }

  /**
   * Scores of many rows of raw feature values; the default scores them one by one. A detector
   * overrides it to batch (a forest walks each tree for all rows while the tree is in cache); it
   * must give exactly {@link #score(double[])} of each row.
   */
  protected double[] scoreRows(double[][] rows) {
    double[] s = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      s[i] = score(rows[i]);
    }
    return s;
  }

  @Override
  public Explanation explain(Observation o, int maxItems) {
    FeatureVector v = o.requireFeatures();
    statistics.requireSchema(v);
    double[] x = v.values();
    // a value inside the training interquartile range is typical: it is no reason, whatever its weight
    boolean[] atypical = new boolean[x.length];
    boolean any = false;
    for (int j = 0; j < x.length; j++) {
      atypical[j] = !(x[j] >= statistics.q1(j) && x[j] <= statistics.q3(j));
      any |= atypical[j];
    }
    if (!any) { // nothing could be a reason: the contributions (a second pass over the model) are not needed
      return Explanation.NONE;
    }
    double[] w = contributions(x);
    List<Integer> idx = new ArrayList<>();
    for (int j = 0; j < w.length; j++) {
      if (w[j] > 0 && Double.isFinite(w[j]) && atypical[j]) {
        idx.add(j);
      }
    }
    idx.sort(Comparator.comparingDouble((Integer j) -> -w[j]).thenComparingInt(j -> j));
    List<Contribution> out = new ArrayList<>();
    for (int j : idx.subList(0, Math.min(maxItems, idx.size()))) {
      out.add(statistics.contribution(j, x[j], w[j]));
    }
    return new Explanation(out);
  }

  @Override
  public final void save(ArtifactWriter out) throws IOException {
    Parameters.Builder b = Parameters.builder();
    writeProvenance(b, provenance);
    statistics.writeTo(b);
    writeParameters(b);
    try (OutputStream o = out.create(FILE)) {
      b.build().write(o);
    }
    writeFiles(out);
  }

  /**
   * Writes files beside {@code model.bin} that {@link #writeParameters} cannot hold (an engine's
   * graph, for example). Does nothing by default.
   */
  protected void writeFiles(ArtifactWriter out) throws IOException {}

  /**
   * Reads {@code model.bin} and checks that it was written for {@code detector}.
   *
   * @throws ModelFormatException when missing, corrupt or for another detector
   */
  public static Parameters readModelFile(ArtifactReader in, String detector) throws IOException {
    if (!in.contains(FILE)) {
      throw new ModelFormatException(detector + " model: " + FILE + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(FILE)) {
      p = Parameters.read(s);
    } catch (ModelFormatException e) {
      throw new ModelFormatException(detector + " model: " + FILE + ": " + e.getMessage(), e);
    }
    String saved = p.string("provenance.detector");
    if (!saved.equals(detector)) {
      throw new ModelFormatException(FILE + " holds a '" + saved + "' model, not '" + detector + "'");
    }
    return p;
  }

  /** Stores provenance under {@code provenance.*}. */
  public static void writeProvenance(Parameters.Builder b, ModelProvenance p) {
    b.put("provenance.detector", p.detector())
        .put("provenance.version", p.detectorVersion())
        .put("provenance.options", flatten(p.options()))
        .put("provenance.engine", p.engine())
        .put("provenance.seed", p.seed())
        .put("provenance.training", flatten(p.trainingSummary()))
        .put("provenance.trained-at", p.trainedAt().toString());
  }

  /** Reads provenance stored by {@link #writeProvenance}. */
  public static ModelProvenance readProvenance(Parameters p) {
    try {
      return new ModelProvenance(p.string("provenance.detector"), p.string("provenance.version"),
          unflatten(p.strings("provenance.options")), p.string("provenance.engine"),
          p.longValue("provenance.seed"), unflatten(p.strings("provenance.training")),
          Instant.parse(p.string("provenance.trained-at")));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ModelFormatException("provenance.trained-at is not an instant: " + e.getMessage(), e);
    }
  }

  private static List<String> flatten(Map<String, String> m) {
    List<String> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static Map<String, String> unflatten(List<String> l) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : l) {
      int i = s.indexOf('=');
      if (i < 0) {
        throw new ModelFormatException("malformed key=value entry '" + s + "'");
      }
      m.put(s.substring(0, i), s.substring(i + 1));
    }
    return m;
  }

  /** Provenance for a model being trained now. */
  public static ModelProvenance provenanceFor(Provider provider, Options options, TrainingSet t,
      Map<String, String> extra) {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("observations", Integer.toString(t.size()));
    summary.putAll(extra);
    return new ModelProvenance(provider.name(), provider.version(), options.asMap(), "jvm", t.seed(), summary,
        Instant.now());
  }

  /**
   * Training rows in standardised space ({@link FeatureStatistics#standardize}), at most {@code max}
   * of them: beyond that a sample drawn with the training seed, kept in input order.
   */
  public static double[][] standardizedSample(List<FeatureVector> vectors, FeatureStatistics stats, int max,
      long seed) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      keep.add(i);
    }
    if (keep.size() > max) {
      java.util.Collections.shuffle(keep, new java.util.Random(seed));
      keep = new ArrayList<>(keep.subList(0, max));
      java.util.Collections.sort(keep);
    }
    double[][] x = new double[keep.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = stats.standardize(vectors.get(keep.get(i)).values());
    }
    return x;
  }

  /** The feature rows of a training set, checking they all share one schema. */
  public static List<FeatureVector> vectors(TrainingSet t) {
    List<FeatureVector> out = new ArrayList<>(t.size());
    for (Observation o : t.observations()) {
      out.add(o.requireFeatures());
    }
    if (out.isEmpty()) {
      throw new io.seqwatch.api.ConfigurationException("no training observations");
    }
    return out;
  }
}
