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
 *   "actions": {"pageview": "view", "add": "cart"},
 *   "attributes": {"device": "device_id", "ip": "client_ip", "user_agent": "ua",
 *                  "query": "text:search_terms", "app_version": "numeric:app_ver"}
 * }
 * }</pre>
 *
 * Columns are header names, or 0-based indices written as numbers in quotes ({@code "0"}). For files
 * that hold one whole sequence per row (such as a labelled HDFS file) give {@code "tokens": "Sequence"}
 * instead of {@code columns}: the column's white-space separated tokens become one sequence keyed by
 * the line number.
 *
 * <p>{@code attributes} names event {@linkplain io.seqwatch.api.Attributes attributes} and their
 * columns, as {@code column} or {@code type:column} with type {@code categorical} (the default),
 * {@code numeric} or {@code text} ({@code query} defaults to text). An empty cell leaves the
 * attribute out; a numeric cell that is not a number rejects the record. Header columns that no
 * role or attribute names are listed as ignored in the read's summary.
 *
 * @param delimiter one character
 * @param header whether the first line is a header
 * @param columns role to column; roles: actor, timestamp, action (required), session, item,
 *     category, price
 * @param timestampFormat how the timestamp column is written
 * @param actions raw action to canonical alias (see {@link io.seqwatch.api.ActionType#fromAlias})
 * @param tokens column holding a whole token sequence, instead of {@code columns}
 * @param attributes attribute name to {@code [type:]column}
 *     <p>Thread-safety: immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CsvMapping(
    String delimiter,
    Boolean header,
    Map<String, String> columns,
    String timestampFormat,
    Map<String, String> actions,
    String tokens,
    Map<String, String> attributes) {
  private static final Set<String> ROLES =
      Set.of("actor", "timestamp", "action", "session", "item", "category", "price");

  public CsvMapping {
    delimiter = delimiter == null ? "," : delimiter;
    header = header == null ? Boolean.TRUE : header;
    columns = columns == null ? Map.of() : Map.copyOf(columns);
    timestampFormat = timestampFormat == null ? "epoch-seconds" : timestampFormat;
    actions = actions == null ? Map.of() : Map.copyOf(actions);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      if (a.getKey().isBlank() || a.getKey().length() > io.seqwatch.api.Attributes.MAX_NAME_LENGTH) {
        throw new ConfigurationException("mapping: attribute name '" + a.getKey() + "' must be 1-"
            + io.seqwatch.api.Attributes.MAX_NAME_LENGTH + " characters");
      }
      if (attributeColumn(a.getValue()).isBlank()) {
        throw new ConfigurationException("mapping: attributes." + a.getKey() + " names no column");
      }
    }
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

  /** A mapping without attribute columns. */
  public CsvMapping(String delimiter, Boolean header, Map<String, String> columns, String timestampFormat,
      Map<String, String> actions, String tokens) {
    this(delimiter, header, columns, timestampFormat, actions, tokens, null);
  }

  /** The column of an attribute reference {@code [type:]column}. */
  static String attributeColumn(String ref) {
    int c = ref.indexOf(':');
    return c > 0 && typeOf(ref.substring(0, c)) != null ? ref.substring(c + 1) : ref;
  }

  /** The type of attribute {@code name} from its reference {@code [type:]column}. */
  static io.seqwatch.api.AttributeType attributeType(String name, String ref) {
    int c = ref.indexOf(':');
    io.seqwatch.api.AttributeType t = c > 0 ? typeOf(ref.substring(0, c)) : null;
    if (t != null) {
      return t;
    }
    return name.equals(io.seqwatch.api.Attributes.QUERY) ? io.seqwatch.api.AttributeType.TEXT
        : io.seqwatch.api.AttributeType.CATEGORICAL;
  }

  private static io.seqwatch.api.AttributeType typeOf(String prefix) {
    return switch (prefix) {
      case "categorical" -> io.seqwatch.api.AttributeType.CATEGORICAL;
      case "numeric" -> io.seqwatch.api.AttributeType.NUMERIC;
      case "text" -> io.seqwatch.api.AttributeType.TEXT;
      default -> null;
    };
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
