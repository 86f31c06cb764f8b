package io.seqwatch.core.features;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.SequenceEncoder;
import io.seqwatch.spi.SequenceEncoderProvider;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Provider {@code tokens}: {@link TokenSequenceEncoder}.
 *
 * <p>Thread-safety: stateless.
 */
public final class TokenSequenceEncoderProvider implements SequenceEncoderProvider {
  private static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.ofInt("min-count", 1, "keep actions seen at least this often in training"),
      OptionSpec.ofInt("max-vocabulary", 10_000, "most actions kept (most frequent first)"),
      OptionSpec.ofInt("category-buckets", 1024, "hash buckets for category ids (side information)"),
      OptionSpec.ofString("token", "action", "what a token is: action, or action+gap (the action with the bucket of the time gap before it, so next-event models learn the pace of people)"),
      OptionSpec.ofString("attributes", "none", "event attributes encoded for multimodal models: none, auto (those >= 1 % of training events carry, device and ip left out) or a comma list of names"),
      OptionSpec.ofInt("attribute-buckets", 4096, "hash buckets for categorical attribute values and query trigrams"));

  @Override
  public String name() {
    return "tokens";
  }

  @Override
  public String description() {
    return "action (or action+gap) vocabulary fitted on training data (0 padding, 1 unknown), time-gap buckets, hashed categories, prices and, on request, hashed event attributes";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public SequenceEncoder create(Options o) {
    TokenSequenceEncoder.TokenMode mode;
    try {
      mode = TokenSequenceEncoder.TokenMode.of(o.getString("token"));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
    return new TokenSequenceEncoder(o.getInt("min-count", 1, Integer.MAX_VALUE),
        o.getInt("max-vocabulary", 1, 10_000_000), o.getInt("category-buckets", 2, 1 << 24), mode,
        o.getString("attributes"), o.getInt("attribute-buckets", 2, 1 << 24));
  }

  @Override
  public FittedSequenceEncoder load(ArtifactReader in) throws IOException {
    Parameters p;
    try (InputStream s = in.open("vocabulary.bin")) {
      p = Parameters.read(s);
    }
    List<String> vocab = p.strings("vocabulary");
    if (vocab.size() < 2 || !vocab.get(0).equals(TokenSequenceEncoder.PAD)
        || !vocab.get(1).equals(TokenSequenceEncoder.UNKNOWN)) {
      throw new ModelFormatException("vocabulary.bin: the vocabulary must start with <pad>, <unk>");
    }
    int buckets = p.intValue("category-buckets");
    if (buckets < 2) {
      throw new ModelFormatException("vocabulary.bin: category-buckets " + buckets + " < 2");
    }
    TokenSequenceEncoder.TokenMode mode;
    try {
      // bundles written before the option existed hold action tokens
      mode = TokenSequenceEncoder.TokenMode.of(p.contains("token") ? p.string("token") : "action");
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("vocabulary.bin: " + e.getMessage());
    }
    return new TokenSequenceEncoder.Fitted(vocab, buckets, p.intValue("min-count"),
        p.intValue("max-vocabulary"), mode, AttributeEncoding.readFrom(p));
  }
}
