package io.seqwatch.samples.customplugin;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.Quantiles;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code peak-rate}: how far a sequence's busiest minute and hourly rate exceed what the training
 * population does at its {@code q}-quantile. Score: the larger of the two ratios (1 = at the
 * training quantile). Needs the {@code behavior} features {@code peak_events_per_min} and {@code
 * events_per_hour}.
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class PeakRateDetectorProvider implements DetectorProvider {
  static final List<String> FEATURES = List.of("peak_events_per_min", "events_per_hour");

  @Override
  public String name() {
    return "peak-rate";
  }

  @Override
  public String description() {
    return "sample vendor plugin: busiest minute and hourly rate over their training quantile";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofDouble("q", 0.99, "training quantile that counts as the normal ceiling"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  @Override
  public Detector create(Options o) {
    double q = o.getDouble("q", 0.5, 1);
    return Detector.of(name(), Representation.FEATURES, t -> {
      List<FeatureVector> v = VectorModel.vectors(t);
      FeatureStatistics stats = FeatureStatistics.of(v);
      double[] ceiling = new double[FEATURES.size()];
      for (int f = 0; f < ceiling.length; f++) {
        int j;
        try {
          j = stats.schema().indexOf(FEATURES.get(f));
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException("peak-rate needs the behavior feature " + FEATURES.get(f)
              + "; the pipeline's features are " + stats.schema().names());
        }
        double[] col = new double[v.size()];
        for (int i = 0; i < col.length; i++) {
          col[i] = v.get(i).get(j);
        }
        ceiling[f] = Math.max(1e-9, Quantiles.of(col, q));
      }
      return new PeakRateModel(VectorModel.provenanceFor(this, o, t, Map.of()), stats, ceiling);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    Parameters p = VectorModel.readModelFile(in, name());
    return new PeakRateModel(VectorModel.readProvenance(p), FeatureStatistics.readFrom(p), p.doubles("ceiling"));
  }

  /** Immutable: the two ceilings. */
  static final class PeakRateModel extends VectorModel {
    private final double[] ceiling;
    private final int[] index;

    PeakRateModel(ModelProvenance p, FeatureStatistics stats, double[] ceiling) {
      super(p, stats);
      this.ceiling = ceiling.clone();
      this.index = FEATURES.stream().mapToInt(n -> stats.schema().indexOf(n)).toArray();
    }

    @Override
    protected double score(double[] x) {
      double s = 0;
      for (int f = 0; f < index.length; f++) {
        s = Math.max(s, x[index[f]] / ceiling[f]);
      }
      return s;
    }

    @Override
    protected double[] contributions(double[] x) {
      double[] c = new double[x.length];
      for (int f = 0; f < index.length; f++) {
        c[index[f]] = x[index[f]] / ceiling[f];
      }
      return c;
    }

    @Override
    protected void writeParameters(Parameters.Builder b) {
      b.put("ceiling", ceiling);
    }
  }
}
