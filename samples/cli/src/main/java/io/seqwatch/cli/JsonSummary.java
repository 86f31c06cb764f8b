package io.seqwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The one-line JSON summaries of {@code --json}: a command's counts, threshold and outputs as one
 * object on stdout, so scripts read them instead of parsing the human text.
 *
 * <p>Thread-safety: stateless (Jackson's mapper is thread-safe once configured).
 */
final class JsonSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonSummary() {}

  static String write(Map<String, Object> summary) {
    try {
      return JSON.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON summary", e);
    }
  }
}
