package io.seqwatch.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * JSON lines: one object per line with {@code actor} (or {@code user_id}, {@code user}), {@code
 * timestamp} (or {@code ts}: Unix seconds, Unix milliseconds when above 10^11, or an ISO-8601 string),
 * {@code action} (or {@code event}, {@code event_type}, {@code behavior}) and optional {@code session},
 * {@code item}, {@code category}, {@code price}. Other fields are ignored.
 *
 * <p>Thread-safety: stateless, safe to share ({@link ObjectMapper} is thread-safe once configured).
 */
final class JsonlReader extends LineEventReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  JsonlReader() {
    super(false);
  }

  @Override
  public String format() {
    return "jsonl";
  }

  @Override
  void parse(String line, long lineNumber, List<BehaviorEvent> out) throws RecordException {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new RecordException("not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new RecordException("not a JSON object");
    }
    String actor = text(n, "actor", "user_id", "user")
        .orElseThrow(() -> new RecordException("no actor (actor, user_id or user)"));
    String action = text(n, "action", "event", "event_type", "behavior")
        .orElseThrow(() -> new RecordException("no action (action, event, event_type or behavior)"));
    JsonNode t = first(n, "timestamp", "ts", "time");
    if (t == null) {
      throw new RecordException("no timestamp (timestamp, ts or time)");
    }
    long ms;
    if (t.isIntegralNumber()) {
      if (!t.canConvertToLong()) {
        throw new RecordException("timestamp " + t.asText() + " is out of range (Unix seconds or milliseconds)");
      }
      long v = t.asLong();
      try {
        ms = v > 100_000_000_000L ? v : Math.multiplyExact(v, 1000L);
      } catch (ArithmeticException e) {
        throw new RecordException("timestamp " + t.asText() + " is out of range (Unix seconds or milliseconds)");
      }
      Fields.checkMillis(ms, "timestamp", t.asText());
    } else if (t.isTextual()) {
      ms = Fields.isoInstant(t.asText(), "timestamp");
    } else {
      throw new RecordException("timestamp must be an integer or an ISO-8601 string");
    }
    OptionalDouble price = OptionalDouble.empty();
    JsonNode p = n.get("price");
    if (p != null && !p.isNull()) {
      if (!p.isNumber() || !Double.isFinite(p.asDouble()) || p.asDouble() < 0) {
        throw new RecordException("price must be a non-negative number");
      }
      price = OptionalDouble.of(p.asDouble());
    }
    out.add(new BehaviorEvent(actor, text(n, "session", "session_id"), ms, action,
        ActionType.fromAlias(action), text(n, "item", "item_id"), text(n, "category", "category_id"),
        price, lineNumber));
  }

  private static JsonNode first(JsonNode n, String... names) {
    for (String name : names) {
      JsonNode v = n.get(name);
      if (v != null && !v.isNull()) {
        return v;
      }
    }
    return null;
  }

  private static Optional<String> text(JsonNode n, String... names) throws RecordException {
    JsonNode v = first(n, names);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new RecordException(names[0] + " must be a string or number");
    }
    String s = v.asText().trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
