package io.seqwatch.plugin.markov;

import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.VectorModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code markov}: n-gram next-action likelihood. Options: {@code order} (context length), {@code
 * smoothing} (add-k), {@code aggregate} ({@code combined} = number of never-seen transitions plus
 * max/(1+max) of the surprisal; or {@code max}, {@code mean}, {@code unseen}). Works on any token
 * vocabulary: Taobao actions, HDFS log keys.
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class MarkovDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "markov";
  }

  @Override
  public String description() {
    return "n-gram next-action model: per-event surprisal, unseen transitions, most surprising events as reasons";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofInt("order", 1, "context length in events (0 = unigram, 1 = bigram)"),
        OptionSpec.ofDouble("smoothing", 0.01, "add-k smoothing of counts"),
        OptionSpec.ofString("aggregate", "combined", "combined, max, mean, unseen or typicality"),
        OptionSpec.ofBoolean("boundaries", true, "model the end of a sequence as an event"),
        OptionSpec.ofBoolean("gaps", false, "combine each action with its time-gap bucket (machine pace becomes visible)"));
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Detector create(Options o) {
    int order = o.getInt("order", 0, 8);
    double k = o.getDouble("smoothing", 1e-9, 1e6);
    Aggregate aggregate = Aggregate.parse(o.getString("aggregate"));
    boolean boundaries = o.getBoolean("boundaries");
    boolean gaps = o.getBoolean("gaps");
    return Detector.of(name(), Representation.SEQUENCE, t -> {
      int g = 0;
      if (gaps) {
        for (Observation ob : t.observations()) {
          for (int x : ob.requireEncoded().gapBuckets()) {
            g = Math.max(g, x + 1);
          }
        }
        g = Math.max(g, 8);
      }
      List<int[]> seqs = new ArrayList<>(t.size());
      int v = Math.max(2, t.vocabulary().size()) * Math.max(1, g);
      for (Observation ob : t.observations()) {
        int[] s = MarkovModel.tokens(ob.requireEncoded(), g);
        seqs.add(s);
        for (int x : s) {
          v = Math.max(v, x + 1);
        }
      }
      NgramCounts counts = new NgramCounts(order, v);
      int n = seqs.size();
      for (int i = 0; i < n; i++) {
        counts.addSequence(seqs.get(i), boundaries);
        if ((i + 1) % 1000 == 0 || i + 1 == n) {
          t.listener().progress(i + 1, n, "sequences counted");
        }
      }
      Map<String, String> summary = Map.of("vocabulary", Integer.toString(v));
      // the training sequences' mean surprisal: what "typical" means for the typicality score
      MarkovModel draft = new MarkovModel(VectorModel.provenanceFor(this, o, t, summary), counts, k,
          Aggregate.MEAN, boundaries, g, t.vocabulary(), 0, 1);
      double mean = 0;
      double m2 = 0;
      for (int i = 0; i < n; i++) {
        double x = draft.score(seqs.get(i));
        double d = x - mean;
        mean += d / (i + 1);
        m2 += d * (x - mean);
      }
      return new MarkovModel(VectorModel.provenanceFor(this, o, t, summary), counts, k, aggregate,
          boundaries, g, t.vocabulary(), mean, Math.sqrt(m2 / Math.max(1, n)));
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return MarkovModel.load(in);
  }
}
