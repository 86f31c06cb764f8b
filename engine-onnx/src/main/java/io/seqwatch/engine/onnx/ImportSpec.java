package io.seqwatch.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.api.ConfigurationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How an ONNX model trained elsewhere plugs into Seqwatch: a small JSON file naming its input and
 * output tensors and how its output becomes an anomaly score.
 *
 * <p>Feature models ({@code onnx-features}): input float {@code [N, d]} with the behaviour features
 * listed in {@code features} (in that order; all of them when absent), optionally {@code
 * standardize}d against the training statistics; {@code score}: {@code identity} (higher is more
 * anomalous), {@code negate} (for scikit-learn's {@code decision_function}/{@code score_samples},
 * where lower is more anomalous) or {@code reconstruction-mse} (the output reconstructs the input).
 *
 * <pre>{@code
 * {"input": "float_input", "output": "scores", "features": ["count_cart", "events_per_hour"],
 *  "standardize": false, "score": "negate"}
 * }</pre>
 *
 * <p>Next-action models ({@code onnx-next-action}): input int64 {@code [N, window]} token ids,
 * output {@code [N, vocabulary]} {@code logits}, {@code log-probs} or {@code probs}; {@code
 * vocabulary} lists the model's tokens by id, {@code padding} and {@code unknown} name its padding
 * and unknown tokens, {@code end} its end-of-sequence token when it has one; {@code top-k} and
 * {@code aggregate} as for {@code gru}.
 *
 * <pre>{@code
 * {"input": "tokens", "output": "logits", "outputs": "logits", "window": 10,
 *  "vocabulary": ["<pad>", "<unk>", "5", "22", "11"], "padding": "<pad>", "unknown": "<unk>"}
 * }</pre>
 *
 * @param json the spec as written (kept in the bundle)
 *     <p>Thread-safety: immutable.
 */
record ImportSpec(JsonNode json) {
  static final String FILE = "spec.json";
  private static final Set<String> FEATURE_KEYS = Set.of("input", "output", "features", "standardize", "score");
  private static final Set<String> SEQUENCE_KEYS = Set.of("input", "output", "outputs", "window", "vocabulary",
      "padding", "unknown", "end", "top-k", "aggregate");

  /**
   * Parses a spec, refusing unknown keys and missing required ones.
   *
   * @param sequence whether this is a next-action spec
   * @throws ConfigurationException naming the problem
   */
  static ImportSpec parse(byte[] bytes, boolean sequence, String where) {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(bytes);
    } catch (IOException e) {
      throw new ConfigurationException(where + " is not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new ConfigurationException(where + " must hold a JSON object");
    }
    Set<String> allowed = sequence ? SEQUENCE_KEYS : FEATURE_KEYS;
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ConfigurationException(where + ": unknown key '" + k + "'; known keys: " + new java.util.TreeSet<>(allowed));
      }
    }
    ImportSpec s = new ImportSpec(n);
    s.text("input");
    s.text("output");
    if (sequence) {
      if (s.vocabulary().size() < 2) {
        throw new ConfigurationException(where + ": 'vocabulary' must list the model's tokens by id (at least 2)");
      }
      s.id("padding");
      s.id("unknown");
      s.end();
      if (s.window() < 1) {
        throw new ConfigurationException(where + ": 'window' must be a positive number of events");
      }
      if (!List.of("logits", "log-probs", "probs").contains(s.outputs())) {
        throw new ConfigurationException(where + ": 'outputs' is " + s.outputs() + ", not logits, log-probs or probs");
      }
    } else if (!List.of("identity", "negate", "reconstruction-mse").contains(s.score())) {
      throw new ConfigurationException(where + ": 'score' is " + s.score() + ", not identity, negate or reconstruction-mse");
    }
    return s;
  }

  String text(String key) {
    JsonNode v = json.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigurationException("ONNX import spec: '" + key + "' must name a tensor or token (a string)");
    }
    return v.asText();
  }

  String input() {
    return text("input");
  }

  String output() {
    return text("output");
  }

  /** The features the model reads, in order; empty = all, in the extractor's order. */
  List<String> features() {
    List<String> out = new ArrayList<>();
    json.path("features").forEach(f -> out.add(f.asText()));
    return out;
  }

  boolean standardize() {
    return json.path("standardize").asBoolean(false);
  }

  String score() {
    return json.path("score").asText("identity").toLowerCase(Locale.ROOT);
  }

  int window() {
    return json.path("window").asInt(0);
  }

  List<String> vocabulary() {
    List<String> out = new ArrayList<>();
    json.path("vocabulary").forEach(f -> out.add(f.asText()));
    return out;
  }

  /** The model's id of the token named by {@code key}. */
  int id(String key) {
    int i = vocabulary().indexOf(text(key));
    if (i < 0) {
      throw new ConfigurationException("ONNX import spec: '" + key + "' names " + text(key) + ", which is not in 'vocabulary'");
    }
    return i;
  }

  /** The model's end-of-sequence id, when it predicts the end of a sequence. */
  Optional<Integer> end() {
    return json.has("end") ? Optional.of(id("end")) : Optional.empty();
  }

  String outputs() {
    return json.path("outputs").asText("logits").toLowerCase(Locale.ROOT);
  }

  int topK() {
    return json.path("top-k").asInt(9);
  }

  String aggregate() {
    return json.path("aggregate").asText("max");
  }

  byte[] bytes() {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
