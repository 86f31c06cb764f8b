package io.seqwatch.core.features;

import com.google.common.hash.Hashing;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.SequenceEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes raw actions as token ids: id 0 padding, id 1 unknown, then the training vocabulary ordered
 * by frequency (ties by text), keeping actions seen at least {@code minCount} times, at most {@code
 * maxVocabulary} of them. Time gaps go to buckets (0 first event; then under 1 s, 5 s, 30 s, 2 min,
 * 10 min, 1 h, and longer); categories hash (murmur3) into {@code categoryBuckets} buckets, 0 meaning
 * absent.
 *
 * <p>With {@link TokenMode#ACTION_GAP} a token is the action together with the bucket of the gap
 * before it ({@code cart@1-5s}, {@code pv@start}), so next-event models predict when as well as what:
 * a human session replayed at machine pace has human actions but no human timing.
 *
 * <p>Event attributes (device class, user agent, referrer, query, side-table fields) are encoded
 * for multimodal models as {@link AttributeEncoding} describes, when the option {@code attributes}
 * asks for them.
 *
 * <p>Thread-safety: the untrained encoder is immutable; the fitted one is immutable and safe for
 * concurrent {@link Fitted#encode}.
 */
public final class TokenSequenceEncoder implements SequenceEncoder {
  static final String PAD = "<pad>";
  static final String UNKNOWN = "<unk>";
  private static final long[] GAP_BOUNDS_MS = {1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000};
  /** Text of each gap bucket in {@link TokenMode#ACTION_GAP} tokens. */
  private static final String[] GAP_LABELS = {"start", "0-1s", "1-5s", "5-30s", "30s-2m", "2-10m", "10m-1h", "1h+"};

  /** What one token stands for. Immutable. */
  public enum TokenMode {
    /** The action alone (log keys, page types). */
    ACTION("action"),
    /** The action and the bucket of the time gap before it. */
    ACTION_GAP("action+gap");

    private final String text;

    TokenMode(String text) {
      this.text = text;
    }

    /** The option value, {@code action} or {@code action+gap}. */
    public String text() {
      return text;
    }

    /**
     * The mode an option value names.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static TokenMode of(String text) {
      for (TokenMode m : values()) {
        if (m.text.equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("token=" + text + " is not one of action, action+gap");
    }
  }

  private final int minCount;
  private final int maxVocabulary;
  private final int categoryBuckets;
  private final TokenMode mode;
  private final String attributes;
  private final int attributeBuckets;

  public TokenSequenceEncoder(int minCount, int maxVocabulary, int categoryBuckets) {
    this(minCount, maxVocabulary, categoryBuckets, TokenMode.ACTION);
  }

  public TokenSequenceEncoder(int minCount, int maxVocabulary, int categoryBuckets, TokenMode mode) {
    this(minCount, maxVocabulary, categoryBuckets, mode, "none", 4096);
  }

  /**
   * An encoder that also encodes event attributes.
   *
   * @param attributes {@code none}, {@code auto} or a comma list of attribute names
   * @param attributeBuckets hash buckets of attribute ids (at least 2)
   */
  public TokenSequenceEncoder(int minCount, int maxVocabulary, int categoryBuckets, TokenMode mode, String attributes,
      int attributeBuckets) {
    this.minCount = minCount;
    this.maxVocabulary = maxVocabulary;
    this.categoryBuckets = categoryBuckets;
    this.mode = Objects.requireNonNull(mode, "mode");
    this.attributes = Objects.requireNonNull(attributes, "attributes");
    if (attributeBuckets < 2) {
      throw new IllegalArgumentException("attribute buckets " + attributeBuckets + " < 2");
    }
    this.attributeBuckets = attributeBuckets;
  }

  /** The token text of an event with the gap bucket before it, under a mode. */
  static String text(BehaviorEvent e, int gapBucket, TokenMode mode) {
    return mode == TokenMode.ACTION ? e.action() : e.action() + "@" + GAP_LABELS[gapBucket];
  }

  /** Gap bucket of event {@code i}: 0 for the first, else the bucket of the time since the one before. */
  static int gapBucket(List<BehaviorEvent> ev, int i) {
    return i == 0 ? 0 : Fitted.gapBucket(ev.get(i).timestampMillis() - ev.get(i - 1).timestampMillis());
  }

  @Override
  public Fitted fit(List<BehaviorSequence> training) {
    Map<String, Integer> counts = new HashMap<>();
    for (BehaviorSequence s : training) {
      List<BehaviorEvent> ev = s.events();
      for (int i = 0; i < ev.size(); i++) {
        counts.merge(text(ev.get(i), gapBucket(ev, i), mode), 1, Integer::sum);
      }
    }
    List<String> kept = new ArrayList<>();
    counts.forEach((a, c) -> {
      if (c >= minCount) {
        kept.add(a);
      }
    });
    kept.sort(Comparator.comparingInt((String a) -> -counts.get(a)).thenComparing(a -> a));
    List<String> vocab = new ArrayList<>(List.of(PAD, UNKNOWN));
    vocab.addAll(kept.subList(0, Math.min(kept.size(), maxVocabulary)));
    return new Fitted(vocab, categoryBuckets, minCount, maxVocabulary, mode,
        AttributeEncoding.fit(training, attributes, attributeBuckets));
  }

  /** A fitted vocabulary. Immutable. */
  public static final class Fitted implements FittedSequenceEncoder {
    private final List<String> vocabulary;
    private final Map<String, Integer> ids;
    private final int categoryBuckets;
    private final int minCount;
    private final int maxVocabulary;
    private final TokenMode mode;
    private final AttributeEncoding attributes;

    Fitted(List<String> vocabulary, int categoryBuckets, int minCount, int maxVocabulary, TokenMode mode,
        AttributeEncoding attributes) {
      this.attributes = attributes;
      this.vocabulary = Collections.unmodifiableList(new ArrayList<>(vocabulary));
      Map<String, Integer> m = new HashMap<>();
      for (int i = 2; i < vocabulary.size(); i++) {
        m.put(vocabulary.get(i), i);
      }
      this.ids = m;
      this.categoryBuckets = categoryBuckets;
      this.minCount = minCount;
      this.maxVocabulary = maxVocabulary;
      this.mode = mode;
    }

    /** What one token stands for. */
    public TokenMode mode() {
      return mode;
    }

    @Override
    public EncodedSequence encode(BehaviorSequence s) {
      List<BehaviorEvent> ev = s.events();
      int n = ev.size();
      int[] tokens = new int[n];
      int[] gaps = new int[n];
      int[] cats = new int[n];
      double[] prices = new double[n];
      for (int i = 0; i < n; i++) {
        BehaviorEvent e = ev.get(i);
        gaps[i] = TokenSequenceEncoder.gapBucket(ev, i);
        tokens[i] = ids.getOrDefault(text(e, gaps[i], mode), 1);
        cats[i] = e.categoryId().map(this::categoryBucket).orElse(0);
        prices[i] = e.price().isPresent() ? e.price().getAsDouble() : Double.NaN;
      }
      return new EncodedSequence(s.key(), tokens, gaps, cats, prices, attributes.encode(ev));
    }

    private int categoryBucket(String category) {
      int h = Hashing.murmur3_32_fixed().hashString(category, StandardCharsets.UTF_8).asInt();
      return 1 + Math.floorMod(h, categoryBuckets - 1);
    }

    static int gapBucket(long gapMs) {
      for (int b = 0; b < GAP_BOUNDS_MS.length; b++) {
        if (gapMs < GAP_BOUNDS_MS[b]) {
          return b + 1;
        }
      }
      return GAP_BOUNDS_MS.length + 1;
    }

    @Override
    public io.seqwatch.api.EncodedAttributes.Layout attributeLayout() {
      return attributes.layout();
    }

    @Override
    public int vocabularySize() {
      return vocabulary.size();
    }

    @Override
    public int paddingId() {
      return 0;
    }

    @Override
    public int unknownId() {
      return 1;
    }

    @Override
    public int gapBucketCount() {
      return GAP_BOUNDS_MS.length + 2;
    }

    @Override
    public int categoryBucketCount() {
      return categoryBuckets;
    }

    @Override
    public List<String> vocabulary() {
      return vocabulary;
    }

    @Override
    public void save(ArtifactWriter out) throws IOException {
      try (OutputStream o = out.create("vocabulary.bin")) {
        Parameters.Builder b = Parameters.builder()
            .put("vocabulary", vocabulary)
            .put("category-buckets", categoryBuckets)
            .put("min-count", minCount)
            .put("max-vocabulary", maxVocabulary)
            .put("token", mode.text());
        attributes.writeTo(b);
        b.build().write(o);
      }
    }
  }
}
