package io.seqwatch.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ModelProvenance;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.spi.Representation;
import io.seqwatch.spi.Threshold;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code manifest.json} of a model bundle, its one writer ({@link #toJson}) and reader ({@link
 * #read}): format and versions, the pipeline (grouping, duplicate rule, representation kind), the
 * representation provider and options, the detector (provider, version, engine, options,
 * provenance), the threshold and the training summary. Reading checks every section and says which
 * field is missing or wrong; {@link FittedPipeline} finds the providers and loads the parts.
 *
 * <p>Thread-safety: immutable.
 */
record BundleManifest(Grouping grouping, boolean dropDuplicates, Representation representation,
    String representationProvider, Map<String, String> representationOptions, String detector,
    Optional<String> engine, Threshold threshold, Map<String, String> training) {
  /** Bundle format this build writes and reads. */
  static final int FORMAT_VERSION = 1;

  /**
   * The manifest of a bundle; {@code provenance} is the model's, {@code engineDescription} what the
   * provenance records as its engine (the target engine of an export).
   */
  ObjectNode toJson(String detectorVersion, ModelProvenance provenance, String engineDescription) {
    ObjectNode m = BundleStore.json().createObjectNode();
    m.put("format", "seqwatch-bundle");
    m.put("formatVersion", FORMAT_VERSION);
    m.put("seqwatchVersion", FittedPipeline.version());
    m.put("createdAt", Instant.now().toString());
    ObjectNode p = m.putObject("pipeline");
    p.put("grouping", grouping.spec());
    p.put("dropDuplicates", dropDuplicates);
    p.put("representation", representation.name());
    ObjectNode r = m.putObject("representation");
    r.put("provider", representationProvider);
    r.set("options", BundleStore.json().valueToTree(representationOptions));
    ObjectNode d = m.putObject("detector");
    d.put("provider", detector);
    d.put("version", detectorVersion);
    d.put("engine", engine.orElseThrow());
    d.set("options", BundleStore.json().valueToTree(provenance.options()));
    ObjectNode pv = d.putObject("provenance");
    pv.put("detectorVersion", provenance.detectorVersion());
    pv.put("engine", engineDescription);
    pv.put("seed", provenance.seed());
    pv.put("trainedAt", provenance.trainedAt().toString());
    pv.set("trainingSummary", BundleStore.json().valueToTree(provenance.trainingSummary()));
    ObjectNode t = m.putObject("threshold");
    t.put("value", threshold.value());
    t.put("policy", threshold.policy());
    t.set("details", BundleStore.json().valueToTree(threshold.details()));
    t.put("segmentation", threshold.segmentation());
    t.set("segments", BundleStore.json().valueToTree(threshold.segments()));
    m.set("training", BundleStore.json().valueToTree(new TreeMap<>(training)));
    return m;
  }

  /**
   * Reads and checks a manifest.
   *
   * @throws ModelFormatException naming the bundle and what is missing or invalid
   */
  static BundleManifest read(JsonNode m, Path source) {
    String where = "model bundle " + source + ": manifest.json ";
    if (!"seqwatch-bundle".equals(text(m, "format", where))) {
      throw new ModelFormatException(where + "is not a seqwatch-bundle manifest");
    }
    int version = m.path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new ModelFormatException("model bundle " + source + " has format version " + version
          + " but this Seqwatch (" + FittedPipeline.version() + ") reads version " + FORMAT_VERSION
          + "; retrain the model or use the Seqwatch version that wrote it");
    }
    JsonNode p = node(m, "pipeline", where);
    Grouping grouping;
    Representation rep;
    try {
      grouping = Grouping.parse(text(p, "grouping", where + "pipeline."));
      rep = Representation.valueOf(text(p, "representation", where + "pipeline."));
    } catch (IllegalArgumentException | ConfigurationException e) {
      throw new ModelFormatException(where + "has an invalid pipeline section: " + e.getMessage(), e);
    }
    JsonNode r = node(m, "representation", where);
    String repProvider = text(r, "provider", where + "representation.");
    JsonNode d = node(m, "detector", where);
    String detector = text(d, "provider", where + "detector.");
    JsonNode e = d.get("engine");
    Optional<String> engine = e != null && e.isTextual() ? Optional.of(e.asText()) : Optional.empty();
    JsonNode t = node(m, "threshold", where);
    JsonNode tv = t.get("value");
    if (tv == null || !tv.isNumber()) {
      throw new ModelFormatException(where + "has no numeric threshold.value");
    }
    Threshold threshold;
    try {
      Map<String, Double> segments = new LinkedHashMap<>();
      stringMap(t.path("segments")).forEach((k, v) -> segments.put(k, Double.parseDouble(v)));
      threshold = new Threshold(tv.asDouble(), text(t, "policy", where + "threshold."),
          stringMap(t.path("details")), t.path("segmentation").asText(""), segments);
    } catch (RuntimeException x) {
      throw new ModelFormatException(where + "has an invalid threshold: " + x.getMessage(), x);
    }
    return new BundleManifest(grouping, p.path("dropDuplicates").asBoolean(true), rep, repProvider,
        stringMap(r.path("options")), detector, engine, threshold, stringMap(m.path("training")));
  }

  private static JsonNode node(JsonNode m, String field, String where) {
    JsonNode n = m.get(field);
    if (n == null || !n.isObject()) {
      throw new ModelFormatException(where + "has no '" + field + "' section");
    }
    return n;
  }

  private static String text(JsonNode m, String field, String where) {
    JsonNode n = m.get(field);
    if (n == null || !n.isTextual()) {
      throw new ModelFormatException(where + "has no text field '" + field + "'");
    }
    return n.asText();
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }
}
