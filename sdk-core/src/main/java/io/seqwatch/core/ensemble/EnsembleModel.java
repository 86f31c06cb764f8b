package io.seqwatch.core.ensemble;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.Explanation;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.api.Observation;
import io.seqwatch.spi.ArtifactWriter;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.Representation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Trained members with their normalisers and weights. Score: the weighted mean of the members'
 * normalised scores. Explanation: the reasons of the members that pushed the score most, in that
 * order, without repeats.
 *
 * <p>Thread-safety: immutable; safe for concurrent scoring when the members are (as every model must
 * be). {@link #close()} closes every member.
 */
final class EnsembleModel implements Model {
  private final ModelProvenance provenance;
  private final Representation input;
  private final List<Model> members;
  private final List<Normalizer> normalizers;
  private final double[] weights;

  EnsembleModel(ModelProvenance provenance, Representation input, List<Model> members,
      List<Normalizer> normalizers, double[] weights) {
    this.provenance = provenance;
    this.input = input;
    this.members = List.copyOf(members);
    this.normalizers = List.copyOf(normalizers);
    this.weights = weights.clone();
  }

  List<Model> members() {
    return members;
  }

  List<Normalizer> normalizers() {
    return normalizers;
  }

  double[] weights() {
    return weights.clone();
  }

  @Override
  public String detector() {
    return provenance.detector();
  }

  @Override
  public Representation input() {
    return input;
  }

  private double[] parts(Observation o) {
    double[] p = new double[members.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = weights[i] * normalizers.get(i).apply(members.get(i).score(o));
    }
    return p;
  }

  @Override
  public double score(Observation o) {
    double s = 0;
    for (double p : parts(o)) {
      s += p;
    }
    return s;
  }

  @Override
  public Explanation explain(Observation o, int maxItems) {
    double[] p = parts(o);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -p[i]));
    List<Contribution> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i : order) {
      for (Contribution c : members.get(i).explain(o, maxItems).contributions()) {
        if (out.size() < maxItems && seen.add(c.name())) {
          out.add(c);
        }
      }
    }
    return new Explanation(out);
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public void save(ArtifactWriter out) throws IOException {
    EnsembleDetectorProvider.save(this, out);
  }

  @Override
  public void close() {
    members.forEach(Model::close);
  }
}
