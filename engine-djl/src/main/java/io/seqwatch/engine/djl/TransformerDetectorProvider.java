package io.seqwatch.engine.djl;

import io.seqwatch.engine.common.NextActionConfig;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code transformer}: self-attention next-action model with multimodal fusion of side information:
 * time-gap buckets, hashed category ids and prices (log1p, with a missing flag) are embedded with the
 * action and position embeddings, and the event attributes a log carries (encoded with {@code
 * attributes=auto}) join as context, profile, item and query modalities weighed per event by a gate
 * ({@link AttentionNet}). Scores and aggregates as {@code gru}; explanations name the least likely
 * events, the expected actions, the earlier event the prediction attended to most and the
 * modalities it drew on. Runs on any encoded data: REES46 (prices, categories), Taobao
 * (categories, gaps) and HDFS tokens (no side information: those channels stay constant).
 *
 * <p>Thread-safety: stateless.
 */
public final class TransformerDetectorProvider extends NextActionDetectorProvider {
  /**
   * Action tokens: the transformer already fuses the time-gap bucket of every event as side
   * information, and on simulated shop traffic it ranked better on action tokens (ROC-AUC 0.935 vs
   * 0.822 on action+gap tokens, seed 7). {@code attributes=auto}: the event attributes a log
   * carries (user agent, referrer, query, side-table fields) become further modalities.
   */
  @Override
  public java.util.Map<String, String> defaultRepresentationOptions() {
    return java.util.Map.of("attributes", "auto");
  }

  @Override
  String cell() {
    return "transformer";
  }

  @Override
  public String description() {
    return "self-attention next-action model fusing behaviour, item (category, price, brand), context, profile and query modalities through a per-event gate (DJL PyTorch); attention and modalities in the reasons";
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> out = new ArrayList<>();
    for (OptionSpec o : super.options()) {
      switch (o.name()) {
        case "hidden", "layers", "dropout" -> { } // not used by the attention network
        case "embedding" -> out.add(OptionSpec.ofInt("embedding", 32, "model width: size of every embedding"));
        // the transformer keeps the defaults its HDFS and REES46 figures were measured with
        case "window" -> out.add(OptionSpec.ofInt("window", 10, "events of history per prediction"));
        case "epochs" -> out.add(OptionSpec.ofInt("epochs", 10, "most training epochs"));
        case "patience" -> out.add(OptionSpec.ofInt("patience", 2, "epochs without validation improvement before stopping"));
        default -> out.add(o);
      }
    }
    out.add(OptionSpec.ofInt("heads", 2, "attention heads (must divide the model width)"));
    out.add(OptionSpec.ofBoolean("attribute-surprise", false, "also predict the next event's context and profile attributes (user agent, referrer, segment) and add their surprise to the event's, so a user agent that changes mid-sequence scores high; off by default: on Taobao with injected signals it cost PR-AUC (README)"));
    return out;
  }

  @Override
  int heads(Options o) {
    return o.getInt("heads", 1, 64);
  }

  @Override
  ai.djl.nn.Block network(NextActionConfig c, float dropout) {
    return new AttentionNet(c.vocabulary(), c.gapBuckets(), c.categoryBuckets(), c.window(), c.embedding(), c.heads(),
        c.fusion() ? c.attributes() : io.seqwatch.api.EncodedAttributes.Layout.NONE, c.predictedAttributes() > 0);
  }
}
