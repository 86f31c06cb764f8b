package io.seqwatch.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * JSON lines: one object per line with {@code actor} (or {@code user_id}, {@code user}), {@code
 * timestamp} (or {@code ts}: Unix seconds, Unix milliseconds when above 10^11, or an ISO-8601 string),
 * {@code action} (or {@code event}, {@code event_type}, {@code behavior}) and optional {@code session},
 * {@code item}, {@code category}, {@code price}. Every other field is kept as an event {@linkplain
 * Attributes attribute}, typed by its value: a number is numeric, a string or boolean categorical,
 * and the search query text. Common spellings are kept under the canonical names the features look
 * for: {@code device_id}/{@code deviceId} as {@code device}, {@code ip_address}/{@code client_ip}/
 * {@code remote_addr} as {@code ip}, {@code ua}/{@code userAgent} as {@code user_agent}, {@code
 * search_query}/{@code q}/{@code keyword}/{@code search_term} as {@code query}, {@code referer} as
 * {@code referrer}. Objects and arrays are not attributes: they are ignored and listed in the
 * summary ({@link ReadSummary#ignored()}), as are fields past the {@value #MAX_ATTRIBUTES}th.
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

  /** Most attributes kept per record; the rest are listed as ignored. */
  static final int MAX_ATTRIBUTES = 64;
  /** The fields read into the event's fixed components. */
  private static final Set<String> FIXED = Set.of("actor", "user_id", "user", "action", "event", "event_type",
      "behavior", "timestamp", "ts", "time", "session", "session_id", "item", "item_id", "category",
      "category_id", "price");
  /** Common spellings of the attributes the features know, by canonical name. */
  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("device_id", Attributes.DEVICE), Map.entry("deviceId", Attributes.DEVICE),
      Map.entry("ip_address", Attributes.IP), Map.entry("client_ip", Attributes.IP),
      Map.entry("remote_addr", Attributes.IP), Map.entry("ipAddress", Attributes.IP),
      Map.entry("ua", Attributes.USER_AGENT), Map.entry("userAgent", Attributes.USER_AGENT),
      Map.entry("user-agent", Attributes.USER_AGENT),
      Map.entry("search_query", Attributes.QUERY), Map.entry("q", Attributes.QUERY),
      Map.entry("keyword", Attributes.QUERY), Map.entry("search_term", Attributes.QUERY),
      Map.entry("referer", Attributes.REFERRER));

  @Override
  void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context) throws RecordException {
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
        price, lineNumber, attributes(n, context)));
  }

  /** The fields beyond the fixed ones, typed by value; the others named in {@code ignored}. */
  private static Attributes attributes(JsonNode n, ReadContext context) {
    List<String> ignored = context.ignored;
    if (n.size() <= 3) { // actor, action and time at least: nothing else
      return Attributes.EMPTY;
    }
    Attributes.Builder b = Attributes.builder();
    int kept = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String raw = f.getKey();
      JsonNode v = f.getValue();
      if (FIXED.contains(raw) || v.isNull()) {
        continue;
      }
      String name = ALIASES.getOrDefault(raw, raw);
      if (v.isContainerNode()) {
        ignored.add(raw + (v.isObject() ? " (object)" : " (array)"));
      } else if (kept >= MAX_ATTRIBUTES) {
        ignored.add(raw + " (over " + MAX_ATTRIBUTES + " attributes)");
      } else if (name.isBlank() || name.length() > Attributes.MAX_NAME_LENGTH) {
        ignored.add("(a name that is blank or over " + Attributes.MAX_NAME_LENGTH + " characters)");
      } else if (v.isNumber()) {
        double d = v.asDouble();
        if (Double.isFinite(d)) {
          b.numeric(name, d);
          kept++;
        } else {
          ignored.add(raw + " (not finite)");
        }
      } else {
        String s = v.asText().trim();
        if (s.isEmpty()) {
          continue;
        }
        if (name.equals(Attributes.QUERY)) {
          b.text(name, s);
        } else {
          b.categorical(name, context.shared(s));
        }
        kept++;
      }
    }
    return b.build();
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
