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
          + "the training events carry), none, or a comma list of device, ip, user-agent, query, account"));

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

  /** Creates an extractor; {@code signals=auto} is decided by {@link #fit} and means none here. */
  @Override
  public FeatureExtractor create(Options o) {
    String spec = o.getString("signals");
    return create(o, Signals.isAuto(spec) ? Signals.NONE : Signals.parse(spec));
  }

  /** An extractor whose {@code signals=auto} became the signals present in {@code training}. */
  @Override
  public FeatureExtractor fit(Options o, List<BehaviorSequence> training) {
    String spec = o.getString("signals");
    return create(o, Signals.isAuto(spec) ? Signals.present(training) : Signals.parse(spec)).fit(training);
  }

  /** Recreates a fitted extractor with its saved shared-infrastructure counts. */
  @Override
  public FeatureExtractor load(Options o, ArtifactReader in) throws IOException {
    BehaviorFeatureExtractor x = (BehaviorFeatureExtractor) create(o);
    if (x.signals().isEmpty()) {
      return x;
    }
    if (!in.contains(BehaviorFeatureExtractor.POPULATION)) {
      throw new ModelFormatException("the behaviour features use signals " + x.signals().spec() + " but the bundle has no "
          + "extractor/" + BehaviorFeatureExtractor.POPULATION + "; the bundle is incomplete: train it again");
    }
    try (DataInputStream d = new DataInputStream(new BufferedInputStream(in.open(BehaviorFeatureExtractor.POPULATION)))) {
      return new BehaviorFeatureExtractor(x.zone(), x.nightStart(), x.nightEnd(), x.signals(), Population.read(d));
    } catch (java.io.EOFException e) {
      throw new ModelFormatException("extractor/" + BehaviorFeatureExtractor.POPULATION + " is truncated", e);
    }
  }

  private static BehaviorFeatureExtractor create(Options o, Signals signals) {
    ZoneId zone;
    try {
      zone = ZoneId.of(o.getString("zone"));
    } catch (DateTimeException e) {
      throw new ConfigurationException("option zone=" + o.getString("zone") + " is not a time zone id");
    }
    return new BehaviorFeatureExtractor(zone, o.getInt("night-start", 0, 23), o.getInt("night-end", 0, 24), signals);
  }
}
