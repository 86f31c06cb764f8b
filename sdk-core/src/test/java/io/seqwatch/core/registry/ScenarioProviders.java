package io.seqwatch.core.registry;

import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.Detector;
import io.seqwatch.spi.DetectorProvider;
import io.seqwatch.spi.Model;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Representation;
import java.util.List;

/** Providers for discovery scenarios; only scenario class loaders list them in service files. */
final class ScenarioProviders {
  private ScenarioProviders() {}

  abstract static class Base implements DetectorProvider {
    @Override
    public String description() {
      return "scenario provider";
    }

    @Override
    public List<OptionSpec> options() {
      return List.of();
    }

    @Override
    public Representation input() {
      return Representation.FEATURES;
    }

    @Override
    public Detector create(Options o) {
      throw new IllegalStateException("not used in discovery scenarios");
    }

    @Override
    public Model load(ArtifactReader in) {
      throw new IllegalStateException("not used in discovery scenarios");
    }
  }

  public static final class Alpha extends Base {
    @Override
    public String name() {
      return "alpha";
    }
  }

  public static final class AlphaTwin extends Base {
    @Override
    public String name() {
      return "alpha";
    }

    @Override
    public int priority() {
      return 5;
    }
  }

  public static final class Beta extends Base {
    @Override
    public String name() {
      return "beta";
    }

    @Override
    public int priority() {
      return 1;
    }
  }

  public static final class Broken extends Base {
    public Broken() {
      throw new IllegalStateException("native library missing");
    }

    @Override
    public String name() {
      return "broken";
    }
  }
}
