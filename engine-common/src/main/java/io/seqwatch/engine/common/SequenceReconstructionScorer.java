package io.seqwatch.engine.common;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.support.SurpriseAggregate;
import io.seqwatch.spi.support.Typicality;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The engine-neutral half of the {@code lstm-autoencoder}: sequences are cut into blocks of {@code
 * length} tokens (the last block left-padded with 0), an engine returns the reconstruction
 * log-probabilities of every position for fixed-size passes of {@link #PASS} blocks ({@link
 * #forward}), and this class scores each real event by its reconstruction negative log-likelihood,
 * aggregated per sequence ({@code max}, {@code mean} or the two-sided {@link Typicality} test), with
 * the worst-reconstructed events and the tokens the model expected as reasons.
 *
 * <p>Thread-safety: safe for concurrent scoring (passes are serialised per model); {@link #close()}
 * is idempotent and must not race with scoring.
 */
public abstract class SequenceReconstructionScorer extends EncodedSequenceModel {
  /** Blocks per forward pass. */
  public static final int PASS = 64;
  /** File holding the configuration and the vocabulary. */
  public static final String CONFIG = "config.bin";

  /**
   * Architecture and scoring settings.
   *
   * @param vocabulary token ids in {@code [0, vocabulary)}
   * @param embedding embedding size
   * @param hidden encoder and decoder state size
   * @param length tokens per block
   * @param aggregate {@code max}, {@code mean} or {@code typicality}
   * @param typicality per-event reconstruction NLL over the training events (for {@code
   *     typicality}; {@link Typicality#UNMEASURED} until measured)
   *     <p>Thread-safety: immutable.
   */
  public record Config(int vocabulary, int embedding, int hidden, int length, String aggregate, Typicality typicality) {
    /** Aggregations the model accepts. */
    public static final List<String> AGGREGATES = List.of("max", "mean", "typicality");

    public Config {
      if (vocabulary < 2 || length < 1 || !AGGREGATES.contains(aggregate)) {
        throw new IllegalArgumentException("vocabulary " + vocabulary + ", length " + length + ", aggregate " + aggregate);
      }
      Objects.requireNonNull(typicality, "typicality");
    }

    /** A configuration before the training sequences' typical NLL is measured. */
    public Config(int vocabulary, int embedding, int hidden, int length, String aggregate) {
      this(vocabulary, embedding, hidden, length, aggregate, Typicality.UNMEASURED);
    }

    /** This configuration with the typical NLL of the training sequences. */
    public Config withTypicality(Typicality t) {
      return new Config(vocabulary, embedding, hidden, length, aggregate, t);
    }

    /** Reads the fields written by {@link SequenceReconstructionScorer#configFile()}. */
    public static Config readFrom(Parameters p) {
      try {
        Typicality t = p.contains("typical-mean")
            ? new Typicality(p.doubleValue("typical-mean"), p.doubleValue("typical-std"))
            : Typicality.UNMEASURED;
        return new Config(p.intValue("vocabulary-size"), p.intValue("embedding"), p.intValue("hidden"),
            p.intValue("length"), p.string("aggregate"), t);
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException("lstm-autoencoder configuration is invalid: " + e.getMessage(), e);
      }
    }
  }

  private final Config config;
  private final SurpriseAggregate rule;

  protected SequenceReconstructionScorer(ModelProvenance provenance, Config config, List<String> tokens) {
    super(provenance, tokens);
    this.config = config;
    this.rule = AggregateOption.rule(config.aggregate());
  }

  public Config config() {
    return config;
  }

  /** Blocks of {@code length} tokens a sequence of {@code seq} needs (at least one). */
  public static int blocks(int[] seq, int length) {
    return Math.max(1, (seq.length + length - 1) / length);
  }

  /** Writes the blocks of {@code seq} into {@code x} from block {@code row}; unknown ids become 1. */
  public static void fill(int[] seq, int length, int vocabulary, long[] x, int row) {
    int n = blocks(seq, length);
    int pad = n * length - seq.length;
    for (int j = 0; j < n * length; j++) {
      int p = j - pad;
      int t = p < 0 ? 0 : seq[p];
      x[row * length + j] = t >= 0 && t < vocabulary ? t : 1;
    }
  }

  /**
   * Runs the network on one pass of {@link #PASS} blocks.
   *
   * @param blocks {@code [PASS, length]} token ids
   * @param logProbs receives {@code [PASS, length, vocabulary]} log-probabilities
   */
  protected abstract void forward(long[] blocks, float[] logProbs);

  /** Wraps a run of passes (engines pin thread-local modes here); runs it as it is by default. */
  protected <T> T inference(Supplier<T> body) {
    return body.get();
  }

  /** Per real event: {nll, most likely token}, for each sequence. */
  private synchronized List<double[][]> events(List<int[]> seqs) {
    requireOpen();
    int length = config.length();
    int vocabulary = config.vocabulary();
    int rows = 0;
    for (int[] q : seqs) {
      rows += blocks(q, length);
    }
    long[] x = new long[rows * length];
    int row = 0;
    for (int[] q : seqs) {
      fill(q, length, vocabulary, x, row);
      row += blocks(q, length);
    }
    float[] nll = new float[rows * length];
    int[] best = new int[rows * length];
    int total = rows;
    inference(() -> {
      float[] lp = new float[PASS * length * vocabulary];
      for (int from = 0; from < total; from += PASS) {
        int n = Math.min(PASS, total - from);
        long[] chunk = new long[PASS * length];
        System.arraycopy(x, from * length, chunk, 0, n * length);
        forward(chunk, lp);
        for (int i = 0; i < n * length; i++) {
          int tok = (int) chunk[i];
          nll[from * length + i] = -lp[i * vocabulary + tok];
          int arg = 0;
          for (int k = 1; k < vocabulary; k++) {
            if (lp[i * vocabulary + k] > lp[i * vocabulary + arg]) {
              arg = k;
            }
          }
          best[from * length + i] = arg;
        }
      }
      return null;
    });
    List<double[][]> out = new ArrayList<>();
    row = 0;
    for (int[] q : seqs) {
      int b = blocks(q, length);
      int pad = b * length - q.length;
      double[][] e = new double[q.length][];
      for (int i = 0; i < q.length; i++) {
        int at = row * length + pad + i;
        e[i] = new double[] {nll[at], best[at]};
      }
      out.add(e);
      row += b;
    }
    return out;
  }

  @Override
  public double[] scoreAll(List<Observation> observations) {
    List<int[]> seqs = new ArrayList<>();
    observations.forEach(o -> seqs.add(o.requireEncoded().tokens()));
    List<double[][]> ev = events(seqs);
    double[] out = new double[ev.size()];
    for (int s = 0; s < out.length; s++) {
      double max = 0;
      double sum = 0;
      for (double[] e : ev.get(s)) {
        max = Math.max(max, e[0]);
        sum += e[0];
      }
      int n = ev.get(s).length;
      out[s] = rule.apply(max, sum, 0, n, config.typicality(), config.vocabulary());
    }
    return out;
  }

  /** The per-event reconstruction NLL over every event of these sequences (training measures it). */
  public Typicality typicalNll(List<int[]> sequences) {
    Typicality.Meter meter = new Typicality.Meter();
    for (int from = 0; from < sequences.size(); from += 1024) {
      for (double[][] e : events(sequences.subList(from, Math.min(sequences.size(), from + 1024)))) {
        meter.add(nll(e));
      }
    }
    return meter.typicality();
  }

  /** The per-event NLLs of one sequence's {nll, most likely token} rows. */
  private static double[] nll(double[][] events) {
    double[] out = new double[events.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = events[i][0];
    }
    return out;
  }

  @Override
  public Explanation explain(Observation o, int maxItems) {
    int[] t = o.requireEncoded().tokens();
    double[][] e = events(List.of(t)).get(0);
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < e.length; i++) {
      idx.add(i);
    }
    idx.sort(Comparator.comparingDouble((Integer i) -> -e[i][0]).thenComparingInt(i -> i));
    List<Contribution> out = new ArrayList<>();
    if (config.aggregate().equals("typicality") && e.length > 0 && maxItems > 0) {
      out.add(config.typicality().reason(nll(e), t, this::tokenText));
    }
    for (int i : idx.subList(0, Math.min(maxItems - out.size(), idx.size()))) {
      double p = Math.exp(-e[i][0]);
      String name = "event " + (i + 1) + " '" + tokenText(t[i]) + "'";
      out.add(new Contribution(name, p, Double.NaN, e[i][0], name + " is reconstructed with probability "
          + FeatureStatistics.format(p) + "; the model expected '" + tokenText((int) e[i][1]) + "'"));
    }
    return new Explanation(out);
  }

  /** The {@code config.bin} contents: provenance, configuration and vocabulary. */
  public Parameters configFile() {
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, provenance());
    b.put("vocabulary-size", config.vocabulary()).put("embedding", config.embedding()).put("hidden", config.hidden())
        .put("length", config.length()).put("aggregate", config.aggregate())
        .put("typical-mean", config.typicality().mean()).put("typical-std", config.typicality().std())
        .put("tokens", tokens());
    return b.build();
  }

}
