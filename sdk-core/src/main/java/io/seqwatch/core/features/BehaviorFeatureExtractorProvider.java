package io.seqwatch.core.features;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.ArtifactReader;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import io.seqwatch.spi.FeatureExtractor;
import io.seqwatch.spi.FeatureExtractorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * Provider {@code behavior}: the named behaviour features of {@link BehaviorFeatureExtractor}.
 *
 * <p>Thread-safety: stateless.
 */
public final class BehaviorFeatureExtractorProvider implements FeatureExtractorProvider {
  private static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.ofString("zone", "UTC", "time zone for night hours, e.g. Asia/Shanghai"),
      OptionSpec.ofInt("night-start", 0, "first night hour, inclusive (0-23)"),
      OptionSpec.ofInt("night-end", 6, "night end hour, exclusive (0-24)"),
      OptionSpec.ofString("signals", "auto", "traffic signals from event attributes: auto (those at least 1 % of "
          + "the training events carry), none, or a comma list of device, ip, user-agent, query, account"),
      OptionSpec.ofString("history", "none", "per-actor baseline: compare each sequence with its actor's earlier "
          + "sessions (new categories, hours, actions, pace, first purchase); for takeover hunting with --group-by "
          + "session or gap:30m: auto (on when at least 25 % of the training sequences have earlier sessions), on, "
          + "none"),
      OptionSpec.ofInt("history-actors", 100_000, "most actors whose history is kept (the most recently active; "
          + "about 96 bytes per session, at most 16 per actor)"));

  @Override
  public String name() {
    return "behavior";
  }

  @Override
  public String description() {
    return "named behaviour features: rates, action shares, gaps, burstiness, fast-gap share, diversity, funnel ratios, entropy, night share; "
        + "with device / ip / user_agent / query attributes: distinct values, switches, non-browser share, query length, repeats, typing speed, searches without a click";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  /**
   * Creates an extractor; {@code signals=auto} and {@code history=auto} are decided by {@link #fit} and
   * mean none here; {@code history=on} compares with an empty history (every sequence is a first one).
   */
  @Override
  public FeatureExtractor create(Options o) {
    String spec = o.getString("signals");
    return create(o, Signals.isAuto(spec) ? Signals.NONE : Signals.parse(spec),
        history(o).equals("on") ? ActorHistory.EMPTY : null);
  }

  /** An extractor whose {@code signals=auto} and {@code history=auto} were decided on {@code training}. */
  @Override
  public FeatureExtractor fit(Options o, List<BehaviorSequence> training) {
    String spec = o.getString("signals");
    return create(o, Signals.isAuto(spec) ? Signals.present(training) : Signals.parse(spec), null)
        .fit(training, history(o), o.getInt("history-actors", 1, ActorHistory.MAX_ACTORS));
  }

  private static String history(Options o) {
    String h = o.getString("history");
    if (!h.equals("auto") && !h.equals("on") && !h.equals("none")) {
      throw new ConfigurationException("option history=" + h + " is not auto, on or none");
    }
    return h;
  }

  /** Recreates a fitted extractor with its saved shared-infrastructure counts and actor histories. */
  @Override
  public FeatureExtractor load(Options o, ArtifactReader in) throws IOException {
    BehaviorFeatureExtractor x = (BehaviorFeatureExtractor) create(o);
    Population population = x.population();
    if (!x.signals().isEmpty()) {
      try (DataInputStream d = new DataInputStream(new BufferedInputStream(open(in, BehaviorFeatureExtractor.POPULATION,
          "use signals " + x.signals().spec())))) {
        population = Population.read(d);
      } catch (java.io.EOFException e) {
        throw new ModelFormatException("extractor/" + BehaviorFeatureExtractor.POPULATION + " is truncated", e);
      }
    }
    ActorHistory history = null;
    if (x.history().isPresent()) {
      byte[] bytes;
      try (java.io.InputStream s = open(in, BehaviorFeatureExtractor.HISTORY, "compare with the actors' histories")) {
        bytes = s.readAllBytes();
      }
      try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
        history = ActorHistory.read(d, bytes.length);
      } catch (java.io.EOFException e) {
        throw new ModelFormatException("extractor/" + BehaviorFeatureExtractor.HISTORY + " is truncated", e);
      }
    }
    return new BehaviorFeatureExtractor(x.zone(), x.nightStart(), x.nightEnd(), x.signals(), population, history);
  }

  private static java.io.InputStream open(ArtifactReader in, String file, String what) throws IOException {
    if (!in.contains(file)) {
      throw new ModelFormatException("the behaviour features " + what + " but the bundle has no extractor/" + file
          + "; the bundle is incomplete: train it again");
    }
    return in.open(file);
  }

  private static BehaviorFeatureExtractor create(Options o, Signals signals, ActorHistory history) {
    ZoneId zone;
    try {
      zone = ZoneId.of(o.getString("zone"));
    } catch (DateTimeException e) {
      throw new ConfigurationException("option zone=" + o.getString("zone") + " is not a time zone id");
    }
    return new BehaviorFeatureExtractor(zone, o.getInt("night-start", 0, 23), o.getInt("night-end", 0, 24), signals,
        Population.EMPTY, history);
  }
}
