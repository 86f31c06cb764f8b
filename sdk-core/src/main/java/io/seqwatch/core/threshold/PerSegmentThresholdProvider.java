package io.seqwatch.core.threshold;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.CalibrationData;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Threshold;
import io.seqwatch.spi.ThresholdPolicy;
import io.seqwatch.spi.ThresholdPolicyProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code per-segment:<segmentation>}: one threshold per segment (see {@link Segmenters}), each
 * calibrated by the {@code base} policy on that segment's scores; segments with fewer than {@code
 * min-count} training scores use the global threshold.
 *
 * <p>Thread-safety: stateless.
 */
public final class PerSegmentThresholdProvider implements ThresholdPolicyProvider {
  @Override
  public String name() {
    return "per-segment";
  }

  @Override
  public String description() {
    return "one threshold per segment (length, key-prefix:<sep>) from a base policy";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("by", "length", "segmentation: length or key-prefix:<separator>"),
        OptionSpec.ofString("base", "quantile:0.99", "policy applied within each segment"),
        OptionSpec.ofInt("min-count", 30, "fewest training scores for a segment of its own"));
  }

  @Override
  public ThresholdPolicy create(Options o) {
    return create(o, io.seqwatch.core.registry.Registries.discover());
  }

  /** The base policy comes from {@code providers}: the pipeline's, injected ones included. */
  @Override
  public ThresholdPolicy create(Options o, io.seqwatch.spi.Providers providers) {
    String by = o.getString("by");
    Segmenters.forName(by); // validate now
    String baseSpec = o.getString("base");
    if (baseSpec.startsWith(name())) {
      throw new ConfigurationException("per-segment cannot nest itself as its base policy");
    }
    ThresholdPolicy base = ThresholdSpec.parse(providers, baseSpec);
    int minCount = o.getInt("min-count", 1, Integer.MAX_VALUE);
    String spec = name() + ":" + by;
    return new ThresholdPolicy() {
      @Override
      public Optional<String> segmentation() {
        return Optional.of(by);
      }

      @Override
      public Threshold calibrate(CalibrationData data) {
        if (data.trainingSegments().isEmpty()) {
          throw new ConfigurationException(spec + " needs the segment of every training score");
        }
        Threshold global = base.calibrate(data);
        double[] train = data.trainingScores();
        Map<String, List<Integer>> bySegment = new TreeMap<>();
        for (int i = 0; i < train.length; i++) {
          bySegment.computeIfAbsent(data.trainingSegments().get(i), k -> new ArrayList<>()).add(i);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : bySegment.entrySet()) {
          details.put("count." + e.getKey(), Integer.toString(e.getValue().size()));
          if (e.getValue().size() < minCount) {
            continue;
          }
          double[] sub = e.getValue().stream().mapToDouble(i -> train[i]).toArray();
          CalibrationData d = CalibrationData.of(sub);
          if (data.validationScores().isPresent() && !data.validationSegments().isEmpty()) {
            double[] v = data.validationScores().get();
            boolean[] y = data.validationLabels().orElseThrow();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < v.length; i++) {
              if (data.validationSegments().get(i).equals(e.getKey())) {
                idx.add(i);
              }
            }
            double[] vs = idx.stream().mapToDouble(i -> v[i]).toArray();
            boolean[] ys = new boolean[idx.size()];
            for (int i = 0; i < ys.length; i++) {
              ys[i] = y[idx.get(i)];
            }
            d = CalibrationData.of(sub, vs, ys);
          }
          try {
            values.put(e.getKey(), base.calibrate(d).value());
          } catch (ConfigurationException ex) {
            details.put("fallback." + e.getKey(), ex.getMessage()); // e.g. one class only: global value
          }
        }
        return new Threshold(global.value(), spec + "/" + baseSpec, details, by, values);
      }
    };
  }
}
