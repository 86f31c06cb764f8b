package io.seqwatch.core.testing;

import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.FeatureSchema;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.core.features.BehaviorFeatureExtractor;
import io.seqwatch.spi.FeatureExtractor;
import io.seqwatch.spi.FeatureExtractorProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Test provider {@code test-behavior-earlier}: the behaviour features without {@code
 * fast_gap_share}, as an earlier version computed them, to check that a bundle and an extractor
 * with different feature sets are refused at load.
 *
 * <p>Thread-safety: stateless.
 */
public final class EarlierBehaviorExtractorProvider implements FeatureExtractorProvider {
  @Override
  public String name() {
    return "test-behavior-earlier";
  }

  @Override
  public String description() {
    return "behaviour features without fast_gap_share (tests only)";
  }

  @Override
  public List<OptionSpec> options() {
    return new io.seqwatch.core.features.BehaviorFeatureExtractorProvider().options(); // the bundle's options
  }

  @Override
  public FeatureExtractor create(Options options) {
    BehaviorFeatureExtractor all = new BehaviorFeatureExtractor(ZoneId.of("UTC"), 0, 6);
    List<String> names = new ArrayList<>(all.schema().names());
    int dropped = names.indexOf("fast_gap_share");
    names.remove(dropped);
    FeatureSchema schema = new FeatureSchema(names);
    return new FeatureExtractor() {
      @Override
      public FeatureSchema schema() {
        return schema;
      }

      @Override
      public FeatureVector extract(BehaviorSequence s) {
        double[] v = all.extract(s).values();
        double[] out = new double[v.length - 1];
        System.arraycopy(v, 0, out, 0, dropped);
        System.arraycopy(v, dropped + 1, out, dropped, v.length - dropped - 1);
        return new FeatureVector(s.key(), schema, out);
      }
    };
  }
}
