package io.seqwatch.engine.common;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.SurpriseAggregate;
import io.seqwatch.spi.support.Typicality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The shape and scoring rules of a masked-event encoder (engine-djl's {@code MaskedEventNet}, or its ONNX export).
 *
 * @param vocabulary the encoder's action tokens by id (0 padding, 1 unknown): a pretrained
 *     encoder's, which a new shop's tokens are mapped onto
 * @param gapBuckets time-gap buckets
 * @param categoryBuckets hashed category buckets (the sequence encoder's {@code category-buckets})
 * @param window events per window; longer sequences are cut into windows
 * @param width model width
 * @param heads attention heads
 * @param layers encoder blocks
 * @param passes scoring masks every {@code passes}-th event of a window in each of {@code passes}
 *     forward passes, so each event is predicted from the others with a share {@code 1/passes} hidden
 * @param aggregate how events' surprise becomes the sequence's score: {@code mean}, {@code max},
 *     {@code typicality} or {@code standardised} of the events' total surprise, or {@code
 *     components}: the typical-set z of action, gap and category surprise each, summed, a shortfall
 *     in the spread below the mean ({@code components-sd}: in the standard deviation, as an excess)
 * @param typicality the training events' mean and spread of surprise
 * @param parts the same for the action, gap and category surprise apart
 * @param below per part, the spread of the training events' surprise below its mean (the root mean
 *     square of their shortfalls): the scale of a sequence's shortfall ({@link
 *     MaskedEventScorer#partZ}); empty when not measured (bundles from before 2026-12-02), and a
 *     shortfall is then measured in the part's standard deviation as before
 * @param pretraining where the encoder's weights came from: empty for a fit from scratch, else the
 *     pretrained checkpoint's data summary, epochs and weights hash
 * @param frequencies how often each action, gap bucket and category occurred among the training
 *     events: the {@code components} aggregates add each part's context-free typical-set z ({@link
 *     EventFrequencies}); {@link EventFrequencies#NONE} when not measured (bundles from before
 *     the context-free parts, and until the fit measures them)
 *     <p>Thread-safety: immutable.
 */
public record MaskedEventConfig(List<String> vocabulary, int gapBuckets, int categoryBuckets, int window, int width, int heads,
    int layers, int passes, String aggregate, Typicality typicality, List<Typicality> parts, List<Double> below,
    Map<String, String> pretraining, EventFrequencies frequencies) {
  public MaskedEventConfig {
    vocabulary = List.copyOf(vocabulary);
    Objects.requireNonNull(aggregate, "aggregate");
    Objects.requireNonNull(typicality, "typicality");
    parts = List.copyOf(parts);
    if (!AGGREGATES.contains(aggregate)) {
      throw new IllegalArgumentException("aggregate " + aggregate + " is not one of " + AGGREGATES);
    }
    if (parts.size() != 3) {
      throw new IllegalArgumentException("3 component typicalities expected, got " + parts.size());
    }
    below = List.copyOf(below);
    if (!below.isEmpty() && (below.size() != 3 || below.stream().anyMatch(b -> !(b >= 0) || b.isInfinite()))) {
      throw new IllegalArgumentException("3 finite spreads below the parts' means expected, got " + below);
    }
    pretraining = Map.copyOf(pretraining);
    Objects.requireNonNull(frequencies, "frequencies");
    if (vocabulary.size() < 2 || gapBuckets < 1 || categoryBuckets < 1 || window < 1 || width < 1 || heads < 1
        || layers < 1 || passes < 1) {
      throw new IllegalArgumentException("masked-event encoder of vocabulary " + vocabulary.size() + ", gaps "
          + gapBuckets + ", categories " + categoryBuckets + ", window " + window + ", width " + width + ", heads "
          + heads + ", layers " + layers + ", passes " + passes);
    }
    if (!frequencies.fits(vocabulary.size(), gapBuckets, categoryBuckets)) {
      throw new IllegalArgumentException("event frequencies measured for another network than one of " + vocabulary.size()
          + " actions, " + gapBuckets + " gap buckets and " + categoryBuckets + " categories");
    }
  }

  /** Settings whose parts' spreads below the mean and event frequencies are not measured. */
  public MaskedEventConfig(List<String> vocabulary, int gapBuckets, int categoryBuckets, int window, int width, int heads,
      int layers, int passes, String aggregate, Typicality typicality, List<Typicality> parts, Map<String, String> pretraining) {
    this(vocabulary, gapBuckets, categoryBuckets, window, width, heads, layers, passes, aggregate, typicality, parts,
        List.of(), pretraining, EventFrequencies.NONE);
  }

  /**
   * The scale of a shortfall of part {@code p}'s mean surprise: the spread below the mean where
   * measured and narrower than the standard deviation, else the standard deviation (always with
   * {@code components-sd}).
   */
  public double shortfallScale(int p) {
    double std = parts.get(p).std();
    return below.isEmpty() || shortfallInStd() ? std : Math.min(std, below.get(p));
  }

  /** Whether a shortfall is measured in the standard deviation on every part ({@code components-sd}). */
  public boolean shortfallInStd() {
    return aggregate.equals("components-sd");
  }

  /**
   * The two-sided typical-set z of {@code n} events whose surprise sums to {@code sum} against
   * {@code t}: a mean below {@code t}'s (a shortfall) measured in {@code shortfallScale}, one above
   * it in {@code t}'s standard deviation. The rule of every part, given the context or alone.
   */
  public static double z(Typicality t, double shortfallScale, double sum, int n) {
    boolean shortfall = n > 0 && sum / n < t.mean();
    return (shortfall ? new Typicality(t.mean(), shortfallScale) : t).z(sum, n);
  }

  /** The aggregates, as the option names them. */
  public static final List<String> AGGREGATES = List.of("components", "components-sd", "typicality", "standardised", "mean", "max");
  /** Surprise components, in the order of {@link #parts()}. */
  public static final List<String> COMPONENTS = List.of("action", "gap", "category");
  /** Not measured yet. */
  public static final List<Typicality> UNMEASURED = List.of(Typicality.UNMEASURED, Typicality.UNMEASURED, Typicality.UNMEASURED);

  /** The aggregate of the total surprise; empty for {@code components}. */
  public java.util.Optional<SurpriseAggregate> rule() {
    return switch (aggregate) {
      case "mean" -> java.util.Optional.of(SurpriseAggregate.MEAN);
      case "max" -> java.util.Optional.of(SurpriseAggregate.MAX);
      case "typicality" -> java.util.Optional.of(SurpriseAggregate.TYPICAL_SET);
      case "standardised" -> java.util.Optional.of(SurpriseAggregate.STANDARDISED_MEAN);
      default -> java.util.Optional.empty();
    };
  }

  /** Size presets: {@code small} (width 64, 2 blocks, 4 heads) and {@code base} (128, 4, 4). */
  public static int[] preset(String size) {
    return switch (size.toLowerCase(Locale.ROOT)) {
      case "small" -> new int[] {64, 2, 4};
      case "base" -> new int[] {128, 4, 4};
      default -> throw new io.seqwatch.api.ConfigurationException("size=" + size + " is not small or base");
    };
  }

  public MaskedEventConfig withTypicality(Typicality t, List<Typicality> parts, List<Double> below) {
    return new MaskedEventConfig(vocabulary, gapBuckets, categoryBuckets, window, width, heads, layers, passes,
        aggregate, t, parts, below, pretraining, frequencies);
  }

  /** {@code this} with the training events' frequencies (measured for this network's shape). */
  public MaskedEventConfig withFrequencies(EventFrequencies f) {
    return new MaskedEventConfig(vocabulary, gapBuckets, categoryBuckets, window, width, heads, layers, passes,
        aggregate, typicality, parts, below, pretraining, f);
  }

  public MaskedEventConfig withScoring(int passes, String aggregate) {
    return new MaskedEventConfig(vocabulary, gapBuckets, categoryBuckets, window, width, heads, layers, passes,
        aggregate, typicality, parts, below, pretraining, frequencies);
  }

  public MaskedEventConfig withPretraining(Map<String, String> source) {
    return new MaskedEventConfig(vocabulary, gapBuckets, categoryBuckets, window, width, heads, layers, passes,
        aggregate, typicality, parts, below, source, frequencies);
  }

  /** Whether a checkpoint of {@code other}'s shape has weights this network can load. */
  public boolean sameNetwork(MaskedEventConfig other) {
    return vocabulary.equals(other.vocabulary) && gapBuckets == other.gapBuckets
        && categoryBuckets == other.categoryBuckets && window == other.window && width == other.width
        && heads == other.heads && layers == other.layers;
  }

  /** The network's shape in words, for messages. */
  public String shape() {
    return String.format(Locale.ROOT, "width %d, %d blocks, %d heads, window %d, %d actions, %d gap buckets, %d category buckets",
        width, layers, heads, window, vocabulary.size(), gapBuckets, categoryBuckets);
  }

  public void writeTo(Parameters.Builder b) {
    b.put("vocabulary", vocabulary).put("gap-buckets", gapBuckets).put("category-buckets", categoryBuckets)
        .put("window", window).put("width", width).put("heads", heads).put("layers", layers).put("passes", passes)
        .put("aggregate", aggregate).put("typical-mean", typicality.mean()).put("typical-std", typicality.std());
    double[] p = new double[6];
    for (int i = 0; i < 3; i++) {
      p[2 * i] = parts.get(i).mean();
      p[2 * i + 1] = parts.get(i).std();
    }
    b.put("typical-parts", p);
    if (!below.isEmpty()) {
      b.put("typical-parts-below", below.stream().mapToDouble(Double::doubleValue).toArray());
    }
    List<String> flat = new ArrayList<>();
    pretraining.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      flat.add(e.getKey());
      flat.add(e.getValue());
    });
    b.put("pretraining", flat);
    frequencies.writeTo(b);
  }

  private static List<Typicality> parts(double[] p) {
    return List.of(new Typicality(p[0], p[1]), new Typicality(p[2], p[3]), new Typicality(p[4], p[5]));
  }

  public static MaskedEventConfig readFrom(Parameters p) {
    try {
      List<String> flat = p.strings("pretraining");
      Map<String, String> pretraining = new LinkedHashMap<>();
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        pretraining.put(flat.get(i), flat.get(i + 1));
      }
      MaskedEventConfig c = new MaskedEventConfig(p.strings("vocabulary"), p.intValue("gap-buckets"), p.intValue("category-buckets"),
          p.intValue("window"), p.intValue("width"), p.intValue("heads"), p.intValue("layers"), p.intValue("passes"),
          p.string("aggregate"), new Typicality(p.doubleValue("typical-mean"), p.doubleValue("typical-std")),
          parts(p.doubles("typical-parts")),
          p.contains("typical-parts-below") ? java.util.Arrays.stream(p.doubles("typical-parts-below")).boxed().toList() : List.of(),
          pretraining, EventFrequencies.NONE);
      return c.withFrequencies(EventFrequencies.readFrom(p, c));
    } catch (ModelFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelFormatException("masked-event encoder settings are incomplete or invalid: " + e.getMessage(), e);
    }
  }
}
