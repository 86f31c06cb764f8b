package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes events as records of a built-in format, so that the matching {@link EventReader} reads
 * them back as the same events: {@code taobao} (no header, Unix seconds), {@code rees46} (its
 * header, {@code yyyy-MM-dd HH:mm:ss UTC}, category code and brand from the attributes of those
 * names), {@code diginetica} (its header; an actor {@code session:<id>} is written with user {@code
 * NA}) and {@code jsonl} (every field and attribute; time as an ISO-8601 instant).
 *
 * <p>Thread-safety: immutable.
 */
public final class EventWriter {
  /** Formats that can be written. */
  public static final List<String> FORMATS = List.of("taobao", "rees46", "diginetica", "jsonl");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final DateTimeFormatter REES46_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final String format;

  private EventWriter(String format) {
    this.format = format;
  }

  /**
   * A writer for {@code format}.
   *
   * @throws ConfigurationException for a format that cannot be written
   */
  public static EventWriter forFormat(String format) {
    if (!FORMATS.contains(format)) {
      throw new ConfigurationException("events cannot be written as '" + format + "'; writable formats: "
          + String.join(", ", FORMATS));
    }
    return new EventWriter(format);
  }

  /** The header line, where the format has one. */
  public Optional<String> header() {
    return switch (format) {
      case "rees46" -> Optional.of(Rees46Reader.HEADER);
      case "diginetica" -> Optional.of(DigineticaReader.HEADER);
      default -> Optional.empty();
    };
  }

  /**
   * One record for {@code e}.
   *
   * @throws ConfigurationException when the event lacks a field the format requires
   */
  public String line(BehaviorEvent e) {
    if (format.equals("jsonl")) {
      return json(e);
    }
    String item = e.itemId().orElseThrow(() -> new ConfigurationException(format + " records need an item id"));
    return switch (format) {
      case "taobao" -> e.actorId() + "," + item + "," + e.categoryId().orElseThrow(
          () -> new ConfigurationException("taobao records need a category id")) + "," + e.action() + ","
          + Math.floorDiv(e.timestampMillis(), 1000);
      case "rees46" -> REES46_TIME.format(Instant.ofEpochMilli(e.timestampMillis())) + "," + e.action() + ","
          + item + "," + e.categoryId().orElse("") + "," + csv(e.attributes().string(Rees46Reader.CATEGORY_CODE))
          + "," + csv(e.attributes().string(Rees46Reader.BRAND)) + "," + (e.price().isPresent()
          ? String.format(Locale.ROOT, "%.2f", e.price().getAsDouble()) : "") + "," + e.actorId() + ","
          + e.sessionId().orElse("");
      default -> {
        long day = Math.floorDiv(e.timestampMillis(), 86_400_000L) * 86_400_000L;
        String user = e.actorId().startsWith("session:") ? "NA" : e.actorId();
        String session = e.sessionId().orElse(e.actorId().startsWith("session:") ? e.actorId().substring(8) : "0");
        yield session + ";" + user + ";" + item + ";" + (e.timestampMillis() - day) + ";"
            + DAY.format(Instant.ofEpochMilli(day));
      }
    };
  }

  private static String json(BehaviorEvent e) {
    com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
    n.put("actor", e.actorId());
    e.sessionId().ifPresent(v -> n.put("session", v));
    n.put("timestamp", Instant.ofEpochMilli(e.timestampMillis()).toString());
    n.put("action", e.action());
    e.itemId().ifPresent(v -> n.put("item", v));
    e.categoryId().ifPresent(v -> n.put("category", v));
    if (e.price().isPresent()) {
      n.put("price", e.price().getAsDouble());
    }
    io.seqwatch.api.Attributes a = e.attributes();
    for (int i = 0; i < a.size(); i++) {
      if (a.type(i) == io.seqwatch.api.AttributeType.NUMERIC) {
        n.put(a.name(i), a.number(i));
      } else {
        n.put(a.name(i), a.valueText(i));
      }
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException("cannot write an event as JSON", ex);
    }
  }

  /** A CSV field: empty when absent, quoted when it holds a comma, quote or line break. */
  private static String csv(Optional<String> v) {
    if (v.isEmpty()) {
      return "";
    }
    String s = v.get();
    return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** Writes {@code lines} (records already formatted) after the header, atomically (temporary file + rename). */
  public void write(Path file, Iterable<String> lines) throws IOException {
    TextFiles.writeAtomically(file, com.google.common.collect.Iterables.concat(header().stream().toList(), lines));
  }
}
