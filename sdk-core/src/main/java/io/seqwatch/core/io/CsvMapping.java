package io.seqwatch.core.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a generic CSV file maps onto events, read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "delimiter": ",",
 *   "header": true,
 *   "columns": {"actor": "user_id", "timestamp": "ts", "action": "event",
 *               "session": "sid", "item": "sku", "category": "cat", "price": "price"},
 *   "timestampFormat": "epoch-seconds",      // epoch-millis | iso | pattern:yyyy-MM-dd HH:mm:ss
 *   "actions": {"pageview": "view", "add": "cart"}
 * }
 * }</pre>
 *
 * Columns are header names, or 0-based indices written as numbers in quotes ({@code "0"}). For files
 * that hold one whole sequence per row (such as a labelled HDFS file) give {@code "tokens": "Sequence"}
 * instead of {@code columns}: the column's white-space separated tokens become one sequence keyed by
 * the line number.
 *
 * @param delimiter one character
 * @param header whether the first line is a header
 * @param columns role to column; roles: actor, timestamp, action (required), session, item,
 *     category, price
 * @param timestampFormat how the timestamp column is written
 * @param actions raw action to canonical alias (see {@link io.seqwatch.api.ActionType#fromAlias})
 * @param tokens column holding a whole token sequence, instead of {@code columns}
 *     <p>Thread-safety: immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CsvMapping(
    String delimiter,
    Boolean header,
    Map<String, String> columns,
    String timestampFormat,
    Map<String, String> actions,
    String tokens) {
  private static final Set<String> ROLES =
      Set.of("actor", "timestamp", "action", "session", "item", "category", "price");

  public CsvMapping {
    delimiter = delimiter == null ? "," : delimiter;
    header = header == null ? Boolean.TRUE : header;
    columns = columns == null ? Map.of() : Map.copyOf(columns);
    timestampFormat = timestampFormat == null ? "epoch-seconds" : timestampFormat;
    actions = actions == null ? Map.of() : Map.copyOf(actions);
    if (delimiter.length() != 1) {
      throw new ConfigurationException("mapping: delimiter must be one character, got '" + delimiter + "'");
    }
    for (String role : columns.keySet()) {
      if (!ROLES.contains(role)) {
        throw new ConfigurationException("mapping: unknown column role '" + role + "'; roles: " + ROLES);
      }
    }
    if (tokens == null) {
      for (String role : new String[] {"actor", "timestamp", "action"}) {
        if (!columns.containsKey(role)) {
          throw new ConfigurationException(
              "mapping: columns." + role + " is required (or give \"tokens\" for sequence-per-row files)");
        }
      }
    }
    if (!timestampFormat.equals("epoch-seconds") && !timestampFormat.equals("epoch-millis")
        && !timestampFormat.equals("iso") && !timestampFormat.startsWith("pattern:")) {
      throw new ConfigurationException("mapping: timestampFormat '" + timestampFormat
          + "' is not epoch-seconds, epoch-millis, iso or pattern:<java DateTimeFormatter pattern>");
    }
  }

  /** The token column, when the file holds one sequence per row. */
  public Optional<String> tokensColumn() {
    return Optional.ofNullable(tokens);
  }

  /**
   * Reads a mapping file.
   *
   * @throws ConfigurationException when the file is not a valid mapping
   */
  public static CsvMapping read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try {
      return new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(file.toFile(), CsvMapping.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigurationException("mapping file " + file + " is not a valid mapping: "
          + e.getOriginalMessage(), e);
    }
  }
}
