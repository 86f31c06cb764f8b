package io.seqwatch.core.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.Score;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores and decisions against labels.
 *
 * <pre>{@code
 * EvaluationResult r = Evaluator.evaluate(keys, scores, flagged, Labels.read(path));
 * Evaluator.writeJson(r, Path.of("metrics.json"));
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Evaluates a pipeline's scores (their keys, values and decisions); keys without a label are
   * counted as unlabelled and left out.
   *
   * @throws ConfigurationException when no scored key has a label
   */
  public static EvaluationResult evaluate(List<Score> scores, Labels labels) {
    List<String> keys = new ArrayList<>(scores.size());
    double[] values = new double[scores.size()];
    boolean[] flagged = new boolean[scores.size()];
    for (int i = 0; i < values.length; i++) {
      keys.add(scores.get(i).key());
      values[i] = scores.get(i).value();
      flagged[i] = scores.get(i).anomalous();
    }
    return evaluate(keys, values, flagged, labels);
  }

  /**
   * Evaluates; keys without a label are counted as unlabelled and left out.
   *
   * @throws ConfigurationException when no scored key has a label
   */
  public static EvaluationResult evaluate(
      List<String> keys, double[] scores, boolean[] flagged, Labels labels) {
    if (keys.size() != scores.length || keys.size() != flagged.length) {
      throw new IllegalArgumentException("keys, scores and decisions differ in length");
    }
    List<Integer> used = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (labels.label(keys.get(i)).isPresent()) {
        used.add(i);
      }
    }
    if (used.isEmpty()) {
      throw new ConfigurationException("none of the " + keys.size()
          + " scored keys has a label; do the labels use the same keys (actor, session or line)?");
    }
    int n = used.size();
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    Map<String, int[]> kinds = new HashMap<>();
    for (int j = 0; j < n; j++) {
      int i = used.get(j);
      s[j] = scores[i];
      y[j] = labels.label(keys.get(i)).orElseThrow();
      boolean f = flagged[i];
      if (y[j] && f) {
        tp++;
      } else if (y[j]) {
        fn++;
      } else if (f) {
        fp++;
      } else {
        tn++;
      }
      if (y[j]) {
        labels.kind(keys.get(i)).ifPresent(k -> {
          int[] c = kinds.computeIfAbsent(k, x -> new int[2]);
          c[0]++;
          c[1] += f ? 1 : 0;
        });
      }
    }
    Map<String, EvaluationResult.KindRecall> perKind = new HashMap<>();
    kinds.forEach((k, c) -> perKind.put(k, new EvaluationResult.KindRecall(c[0], c[1], (double) c[1] / c[0])));
    double precision = ratio(tp, tp + fp);
    double recall = ratio(tp, tp + fn);
    double f1 = tp == 0 ? (tp + fp + fn == 0 ? Double.NaN : 0) : 2.0 * tp / (2.0 * tp + fp + fn);
    return new EvaluationResult(n, tp + fn, keys.size() - n, tp, fp, tn, fn, precision, recall, f1,
        (double) (tp + tn) / n, ratio(fp, fp + tn), Metrics.rocAuc(s, y),
        Metrics.averagePrecision(s, y), Metrics.precisionAtK(s, y, tp + fn), perKind);
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** A JSON mapper that writes NaN and infinities as null, indented. */
  public static ObjectMapper json() {
    SimpleModule nanAsNull = new SimpleModule();
    nanAsNull.addSerializer(Double.class, new NanAsNull());
    nanAsNull.addSerializer(double.class, new NanAsNull());
    return new ObjectMapper().registerModule(nanAsNull).enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Writes non-finite doubles as JSON null. */
  private static final class NanAsNull extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    NanAsNull() {
      super(Double.class);
    }

    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
      if (v.isNaN() || v.isInfinite()) {
        g.writeNull();
      } else {
        g.writeNumber(v);
      }
    }
  }

  /** Writes metrics as JSON. */
  public static void writeJson(EvaluationResult r, Path file) throws IOException {
    json().writeValue(file.toFile(), r);
  }
}
