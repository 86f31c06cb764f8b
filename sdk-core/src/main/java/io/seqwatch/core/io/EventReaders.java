package io.seqwatch.core.io;

import io.seqwatch.api.ConfigurationException;
import java.util.List;
import java.util.Optional;

/**
 * The built-in formats by name.
 *
 * <p>Thread-safety: stateless.
 */
public final class EventReaders {
  /** Names accepted by {@link #forFormat}. */
  public static final List<String> FORMATS =
      List.of("taobao", "rees46", "diginetica", "tokens", "jsonl", "csv");

  private EventReaders() {}

  /**
   * A reader for a format that needs no mapping.
   *
   * @throws ConfigurationException for an unknown format, or {@code csv} (which needs a mapping)
   */
  public static EventReader forFormat(String format) {
    return create(format, Optional.empty());
  }

  /**
   * A reader for a format with a column mapping: {@code csv} reads its columns through {@code
   * mapping}; the other formats have fixed columns and ignore it.
   *
   * @throws ConfigurationException for an unknown format
   */
  public static EventReader forFormat(String format, CsvMapping mapping) {
    return create(format, Optional.of(java.util.Objects.requireNonNull(mapping, "mapping")));
  }

  private static EventReader create(String format, Optional<CsvMapping> mapping) {
    return switch (format) {
      case "taobao" -> new TaobaoReader();
      case "rees46" -> new Rees46Reader();
      case "diginetica" -> new DigineticaReader();
      case "tokens" -> new TokensReader();
      case "jsonl" -> new JsonlReader();
      case "csv" -> new MappedCsvReader(mapping.orElseThrow(() -> new ConfigurationException(
          "format csv needs a column mapping file (--mapping FILE); see CsvMapping for the layout")));
      default -> throw new ConfigurationException(
          "unknown format '" + format + "'; formats: " + String.join(", ", FORMATS));
    };
  }
}
