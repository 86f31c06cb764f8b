package io.seqwatch.engine.common;

import io.seqwatch.api.EncodedAttributes;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Modality;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Typicality;
import java.util.List;
import java.util.Objects;

/**
 * Architecture and scoring settings of a next-action model ({@code gru}, {@code lstm}, {@code
 * transformer}), persisted as {@code config.bin} beside the weights by every engine.
 *
 * @param cell {@code gru}, {@code lstm} or {@code transformer}
 * @param vocabulary token ids in {@code [0, vocabulary)}; 0 pads (or ends a sequence), 1 is unknown
 * @param embedding action embedding size
 * @param hidden recurrent state (or model) width
 * @param layers stacked recurrent layers
 * @param window events of history per prediction
 * @param topK an event is a miss when it is not among the k most likely
 * @param aggregate {@code max}, {@code mean}, {@code misses} or {@code combined}
 * @param boundaries whether the end of a sequence is predicted as token 0
 * @param gapBuckets time-gap buckets (side information)
 * @param categoryBuckets category buckets (side information)
 * @param heads attention heads; 0 for recurrent cells
 * @param typicalMean mean per-event NLL over the training events, the model's entropy rate (for
 *     {@code typicality}; 0 until measured)
 * @param typicalStd standard deviation of the per-event NLL over the training events
 * @param attributes the encoded event attributes the transformer fuses ({@link
 *     EncodedAttributes.Layout#NONE}: none, the network of bundles written before attributes)
 * @param attributeSurprise whether the network also predicts the next event's context and profile
 *     attribute values, whose surprise adds to the event's NLL
 *     <p>Thread-safety: immutable.
 */
public record NextActionConfig(String cell, int vocabulary, int embedding, int hidden, int layers, int window,
    int topK, String aggregate, boolean boundaries, int gapBuckets, int categoryBuckets, int heads,
    double typicalMean, double typicalStd, EncodedAttributes.Layout attributes, boolean attributeSurprise) {
  /**
   * Aggregations a model accepts; {@code typicality} is the two-sided typical-set test: how far a
   * sequence's mean per-event NLL lies from the training entropy rate, times the square root of its
   * length over the per-event standard deviation (a z-score), so that long sequences too
   * predictable for a person (bots repeating one pattern) rank high as well as surprising ones.
   */
  public static final List<String> AGGREGATES = List.of("combined", "misses", "max", "mean", "typicality");

  /** A configuration before the training sequences' typical NLL is measured. */
  public NextActionConfig(String cell, int vocabulary, int embedding, int hidden, int layers, int window,
      int topK, String aggregate, boolean boundaries, int gapBuckets, int categoryBuckets, int heads) {
    this(cell, vocabulary, embedding, hidden, layers, window, topK, aggregate, boundaries, gapBuckets, categoryBuckets,
        heads, 0, 0, EncodedAttributes.Layout.NONE, false);
  }

  /**
   * This configuration fusing event attributes of the given layout, and with {@code surprise}
   * predicting the next event's context and profile values too.
   */
  public NextActionConfig withAttributes(EncodedAttributes.Layout layout, boolean surprise) {
    return new NextActionConfig(cell, vocabulary, embedding, hidden, layers, window, topK, aggregate, boundaries,
        gapBuckets, categoryBuckets, heads, typicalMean, typicalStd, layout, surprise);
  }

  /** This configuration with the typical NLL of the training sequences. */
  public NextActionConfig withTypicality(Typicality t) {
    return new NextActionConfig(cell, vocabulary, embedding, hidden, layers, window, topK, aggregate, boundaries,
        gapBuckets, categoryBuckets, heads, t.mean(), t.std(), attributes, attributeSurprise);
  }

  /** The typical NLL of the training sequences ({@code typicality}). */
  public Typicality typicality() {
    return new Typicality(typicalMean, typicalStd);
  }

  public NextActionConfig {
    Objects.requireNonNull(cell, "cell");
    Objects.requireNonNull(aggregate, "aggregate");
    Objects.requireNonNull(attributes, "attributes");
    if (!attributes.isEmpty() && !cell.equals("transformer")) {
      throw new IllegalArgumentException("only the transformer fuses event attributes, not " + cell);
    }
    if (vocabulary < 2 || window < 1 || topK < 1) {
      throw new IllegalArgumentException("vocabulary " + vocabulary + ", window " + window + ", top-k " + topK);
    }
    if (!AGGREGATES.contains(aggregate)) {
      throw new IllegalArgumentException("aggregate=" + aggregate + " is not one of " + AGGREGATES);
    }
  }

  /** Whether the network reads side information (the transformer). */
  public boolean side() {
    return cell.equals("transformer");
  }

  /** Whether the network fuses event attributes as further modalities (a transformer trained on them). */
  public boolean fusion() {
    return side() && !attributes.isEmpty();
  }

  /** The next-event windows of these sequences under this configuration. */
  public Windows windows(List<EncodedSequence> seqs) {
    return new Windows(seqs, boundaries, window, vocabulary, gapBuckets, categoryBuckets, side(),
        fusion() ? attributes : EncodedAttributes.Layout.NONE, predictedAttributes() > 0);
  }

  /**
   * The number of context and profile attributes ({@link EncodedAttributes.Layout#stableSlots()})
   * whose value of the next event a fusing network predicts
   * with its action (their surprise adds to the event's NLL); 0 without fusion.
   */
  public int predictedAttributes() {
    return fusion() && attributeSurprise ? attributes.stableSlots().length : 0;
  }

  /** Adds this configuration to a parameter file. */
  public void writeTo(Parameters.Builder b) {
    b.put("cell", cell).put("vocabulary-size", vocabulary).put("embedding", embedding)
        .put("hidden", hidden).put("layers", layers).put("window", window)
        .put("top-k", topK).put("aggregate", aggregate)
        .put("boundaries", boundaries ? 1 : 0).put("gap-buckets", gapBuckets)
        .put("category-buckets", categoryBuckets).put("heads", heads)
        .put("typical-mean", typicalMean).put("typical-std", typicalStd);
    if (!attributes.isEmpty()) {
      b.put("attribute-buckets", attributes.buckets()).put("attribute-slots", attributes.slotNames())
          .put("attribute-slot-modalities", texts(attributes.slotModalities()))
          .put("attribute-values", attributes.valueNames())
          .put("attribute-value-modalities", texts(attributes.valueModalities()))
          .put("attribute-surprise", attributeSurprise ? 1 : 0);
    }
  }

  private static List<String> texts(List<Modality> modalities) {
    return modalities.stream().map(Modality::text).toList();
  }

  private static List<Modality> modalities(List<String> texts) {
    return texts.stream().map(Modality::ofText).toList();
  }

  /** The attribute layout a parameter file holds; none in files written before attributes. */
  private static EncodedAttributes.Layout layout(Parameters p) {
    if (!p.contains("attribute-buckets")) {
      return EncodedAttributes.Layout.NONE;
    }
    return new EncodedAttributes.Layout(p.intValue("attribute-buckets"), p.strings("attribute-slots"),
        modalities(p.strings("attribute-slot-modalities")), p.strings("attribute-values"),
        modalities(p.strings("attribute-value-modalities")));
  }

  /**
   * Reads a configuration written by {@link #writeTo}.
   *
   * @throws ModelFormatException when a field is missing or out of range
   */
  public static NextActionConfig readFrom(Parameters p) {
    try {
      return new NextActionConfig(p.string("cell"), p.intValue("vocabulary-size"), p.intValue("embedding"),
          p.intValue("hidden"), p.intValue("layers"), p.intValue("window"), p.intValue("top-k"), p.string("aggregate"),
          p.longValue("boundaries") != 0, p.intValue("gap-buckets"), p.intValue("category-buckets"), p.intValue("heads"),
          p.contains("typical-mean") ? p.doubleValue("typical-mean") : 0,
          p.contains("typical-std") ? p.doubleValue("typical-std") : 0, layout(p),
          p.contains("attribute-surprise") && p.longValue("attribute-surprise") != 0);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("next-action model configuration is invalid: " + e.getMessage(), e);
    }
  }
}
