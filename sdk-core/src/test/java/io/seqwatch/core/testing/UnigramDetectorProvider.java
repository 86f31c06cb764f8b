package io.seqwatch.core.testing;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.TrainingSet;
import io.seqwatch.spi.support.VectorModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Test fixture {@code test-unigram}: mean token surprisal under add-one smoothed unigram
 * frequencies. Exercises the SEQUENCE path (encoder in bundles) without a plugin module.
 */
public final class UnigramDetectorProvider implements DetectorProvider {
  @Override
  public String name() {
    return "test-unigram";
  }

  @Override
  public String description() {
    return "test fixture: unigram surprisal";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public Representation input() {
    return Representation.SEQUENCE;
  }

  @Override
  public Detector create(Options o) {
    return Detector.of(name(), Representation.SEQUENCE, t -> {
      int max = 2;
      for (Observation ob : t.observations()) {
        for (int tok : ob.requireEncoded().tokens()) {
          max = Math.max(max, tok + 1);
        }
      }
      double[] counts = new double[max];
      for (Observation ob : t.observations()) {
        for (int tok : ob.requireEncoded().tokens()) {
          counts[tok]++;
        }
      }
      return new UnigramModel(VectorModel.provenanceFor(this, o, t, Map.of()), counts);
    });
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    try (InputStream s = in.open("unigram.bin")) {
      Parameters p = Parameters.read(s);
      return new UnigramModel(VectorModel.readProvenance(p), p.doubles("counts"));
    }
  }

  static final class UnigramModel implements Model {
    private final ModelProvenance provenance;
    private final double[] counts;
    private final double total;

    UnigramModel(ModelProvenance p, double[] counts) {
      this.provenance = p;
      this.counts = counts;
      double t = 0;
      for (double c : counts) {
        t += c + 1;
      }
      this.total = t;
    }

    private double surprisal(int tok) {
      double c = tok < counts.length ? counts[tok] : 0;
      return -Math.log((c + 1) / total);
    }

    @Override
    public String detector() {
      return provenance.detector();
    }

    @Override
    public Representation input() {
      return Representation.SEQUENCE;
    }

    @Override
    public double score(Observation o) {
      EncodedSequence e = o.requireEncoded();
      double s = 0;
      for (int tok : e.tokens()) {
        s += surprisal(tok);
      }
      return s / e.length();
    }

    @Override
    public Explanation explain(Observation o, int maxItems) {
      EncodedSequence e = o.requireEncoded();
      int worst = 0;
      for (int i = 1; i < e.length(); i++) {
        if (surprisal(e.token(i)) > surprisal(e.token(worst))) {
          worst = i;
        }
      }
      return new Explanation(List.of(new Contribution("event " + (worst + 1), e.token(worst), Double.NaN,
          surprisal(e.token(worst)), "event " + (worst + 1) + " is rare")));
    }

    @Override
    public ModelProvenance provenance() {
      return provenance;
    }

    @Override
    public void save(ArtifactWriter out) throws IOException {
      Parameters.Builder b = Parameters.builder();
      VectorModel.writeProvenance(b, provenance);
      b.put("counts", counts);
      try (OutputStream s = out.create("unigram.bin")) {
        b.build().write(s);
      }
    }
  }
}
