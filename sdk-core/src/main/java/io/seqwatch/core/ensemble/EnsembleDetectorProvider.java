package io.seqwatch.core.ensemble;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ensemble}: trains every member on the same data and averages their normalised scores
 * (weighted). Options: {@code members} (comma-separated detector names), {@code weights}
 * (comma-separated, default equal), {@code combine} ({@code score}: robust z against each member's
 * training scores; {@code rank}: training percentile), {@code member-options} (for example {@code
 * isolation-forest.trees=200,hbos.bins=20}). Members must share one representation.
 *
 * <p>Thread-safety: stateless; models are immutable.
 */
public final class EnsembleDetectorProvider implements DetectorProvider {
  static final String FILE = "ensemble.bin";

  @Override
  public String name() {
    return "ensemble";
  }

  /**
   * {@code evt:0.005,trim=tukey}: the members' robust z-scores are near symmetric for normal data,
   * so Tukey's outer fence separates abuse already in unlabelled training data from the tail that
   * is fitted. Chosen on the quality benchmark (three real shop logs with attacks at 1-10 %, HDFS).
   */
  @Override
  public String defaultThreshold() {
    return "evt:0.005,trim=tukey";
  }

  @Override
  public String description() {
    return "weighted average of member detectors' scores, each normalised against its training scores";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("members", "isolation-forest,hbos,zscore", "comma-separated detector names"),
        OptionSpec.ofString("weights", "", "comma-separated weights, one per member; empty = equal"),
        OptionSpec.ofString("combine", "score", "score (robust z per member) or rank (training percentile)"),
        OptionSpec.ofString("member-options", "", "per-member options: name.key=value,name.key=value"));
  }

  @Override
  public Representation input() {
    return Representation.FEATURES;
  }

  /** A member: provider and validated options. */
  private record Member(DetectorProvider provider, Options options) {}

  @Override
  public Detector create(Options o) {
    return create(o, io.seqwatch.core.registry.Registries.discover());
  }

  /** Members come from {@code providers}: the pipeline's registries, injected providers included. */
  @Override
  public Detector create(Options o, io.seqwatch.spi.Providers providers) {
    String[] names = o.getString("members").split(",");
    Map<String, Map<String, String>> memberOptions = parseMemberOptions(o.getString("member-options"));
    List<Member> members = new ArrayList<>();
    for (String raw : names) {
      String n = raw.trim();
      if (n.isEmpty() || n.equals(name())) {
        throw new ConfigurationException("ensemble members must be other detectors; got '" + n + "'");
      }
      DetectorProvider p = providers.find(DetectorProvider.class, n);
      members.add(new Member(p, Options.of(p.options(), memberOptions.getOrDefault(n, Map.of()))));
    }
    for (String n : memberOptions.keySet()) {
      if (members.stream().noneMatch(m -> m.provider().name().equals(n))) {
        throw new ConfigurationException("member-options name '" + n + "', which is not a member");
      }
    }
    double[] weights = parseWeights(o.getString("weights"), members.size());
    boolean rank = switch (o.getString("combine")) {
      case "rank" -> true;
      case "score" -> false;
      default -> throw new ConfigurationException("combine=" + o.getString("combine") + " is not score or rank");
    };
    List<Detector> detectors = new ArrayList<>();
    for (Member m : members) {
      detectors.add(m.provider().create(m.options(), providers));
    }
    Representation input = detectors.get(0).input();
    for (Detector d : detectors) {
      if (d.input() != input) {
        throw new ConfigurationException("ensemble members must share one representation: "
            + detectors.get(0).name() + " needs " + input + ", " + d.name() + " needs " + d.input());
      }
    }
    return Detector.of(name(), input, t -> {
      List<Model> models = new ArrayList<>();
      List<Normalizer> norms = new ArrayList<>();
      try {
        for (int i = 0; i < detectors.size(); i++) {
          Model m = detectors.get(i).fit(new TrainingSet(t.observations(), t.labels(), t.vocabulary(),
              t.seed() + i, t.listener(), t.purpose()));
          models.add(m);
          norms.add(Normalizer.fit(rank, m.scoreAll(t.observations())));
        }
      } catch (RuntimeException e) {
        models.forEach(Model::close);
        throw e;
      }
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put("members", String.join(",", names).replace(" ", ""));
      return new EnsembleModel(VectorModel.provenanceFor(this, o, t, summary), input, models, norms, weights);
    });
  }

  static Map<String, Map<String, String>> parseMemberOptions(String spec) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      String p = part.trim();
      int dot = p.indexOf('.');
      int eq = p.indexOf('=');
      if (dot <= 0 || eq <= dot + 1) {
        throw new ConfigurationException("member-options entry '" + p + "' is not name.key=value");
      }
      out.computeIfAbsent(p.substring(0, dot), k -> new LinkedHashMap<>())
          .put(p.substring(dot + 1, eq), p.substring(eq + 1));
    }
    return out;
  }

  static double[] parseWeights(String spec, int n) {
    double[] w = new double[n];
    if (spec.isBlank()) {
      java.util.Arrays.fill(w, 1.0 / n);
      return w;
    }
    String[] parts = spec.split(",");
    if (parts.length != n) {
      throw new ConfigurationException("weights has " + parts.length + " values for " + n + " members");
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      try {
        w[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException("weight '" + parts[i] + "' is not a number");
      }
      if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
        throw new ConfigurationException("weight " + parts[i] + " must be finite and >= 0");
      }
      sum += w[i];
    }
    if (sum <= 0) {
      throw new ConfigurationException("weights must not all be 0");
    }
    for (int i = 0; i < n; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /** Member i's files are stored as {@code m<i>-<name>}. */
  static ArtifactWriter prefixed(ArtifactWriter out, int i) {
    return name -> out.create("m" + i + "-" + name);
  }

  static ArtifactReader prefixed(ArtifactReader in, int i) {
    return new ArtifactReader() {
      @Override
      public InputStream open(String name) throws IOException {
        return in.open("m" + i + "-" + name);
      }

      @Override
      public boolean contains(String name) {
        return in.contains("m" + i + "-" + name);
      }
    };
  }

  @Override
  public Model load(ArtifactReader in) throws IOException {
    return load(in, io.seqwatch.core.registry.Registries.discover());
  }

  /** Member models load with providers from {@code providers}: the loader's registries. */
  @Override
  public Model load(ArtifactReader in, io.seqwatch.spi.Providers providers) throws IOException {
    if (!in.contains(FILE)) {
      throw new ModelFormatException("ensemble model: " + FILE + " is missing from the bundle");
    }
    Parameters p;
    try (InputStream s = in.open(FILE)) {
      p = Parameters.read(s);
    }
    List<String> names = p.strings("member-names");
    double[] weights = p.doubles("weights");
    boolean rank = p.longValue("rank") != 0;
    if (weights.length != names.size()) {
      throw new ModelFormatException("ensemble model: " + weights.length + " weights for " + names.size() + " members");
    }
    List<Model> models = new ArrayList<>();
    List<Normalizer> norms = new ArrayList<>();
    try {
      for (int i = 0; i < names.size(); i++) {
        String member = names.get(i);
        DetectorProvider dp = providers.lookup(DetectorProvider.class, member).orElseThrow(() ->
            new io.seqwatch.api.ProviderNotFoundException("ensemble member '" + member + "' is not on the class path "
                + "(found: " + String.join(", ", providers.names(DetectorProvider.class))
                + "). Add the plugin that provides it."));
        models.add(dp.load(prefixed(in, i), providers));
        double[] grid = p.doubles("grid-" + i);
        if (grid.length != Normalizer.GRID) {
          throw new ModelFormatException("ensemble model: member " + i + " has a quantile grid of " + grid.length);
        }
        norms.add(new Normalizer(rank, grid));
      }
    } catch (RuntimeException | IOException e) {
      models.forEach(Model::close);
      throw e;
    }
    Representation input;
    try {
      input = Representation.valueOf(p.string("input"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("ensemble model: unknown input " + p.string("input"));
    }
    return new EnsembleModel(VectorModel.readProvenance(p), input, models, norms, weights);
  }

  /** Writes what {@link #load} reads. */
  static void save(EnsembleModel m, ArtifactWriter out) throws IOException {
    Parameters.Builder b = Parameters.builder();
    VectorModel.writeProvenance(b, m.provenance());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < m.members().size(); i++) {
      names.add(m.members().get(i).detector());
      b.put("grid-" + i, m.normalizers().get(i).grid());
      m.members().get(i).save(prefixed(out, i));
    }
    b.put("member-names", names).put("weights", m.weights()).put("rank", m.normalizers().get(0).rank() ? 1 : 0)
        .put("input", m.input().name());
    try (OutputStream s = out.create(FILE)) {
      b.build().write(s);
    }
  }
}
