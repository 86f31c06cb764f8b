package io.seqwatch.spi.support;

import io.seqwatch.api.Contribution;
import io.seqwatch.spi.Alert;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One alert as one line of JSON:
 * {@code {"id":…,"key":…,"detector":…,"score":…,"threshold":…,"at":"2017-11-25T…Z","reasons":[{"name":…,
 * "value":…,"reason":…}],"summary":…}}. With a pseudonymisation key, {@code key} is replaced by
 * the hex HMAC-SHA256 of the actor id (stable per key, so alerts of one actor still join) and
 * {@code pseudonymised} is {@code true}; {@code id} ({@link Alert#id()}, the idempotency key)
 * is then replaced by the first 32 hex digits of its HMAC, since the plain id could be recomputed
 * from a guessed actor id. The one JSON form of an alert, shared by the sinks.
 *
 * <p>Thread-safety: immutable; {@link #line} is safe from any thread.
 */
public final class AlertJson {
  private final Optional<byte[]> hmacKey;

  /** @param hmacKey pseudonymisation key; empty for none */
  public AlertJson(String hmacKey) {
    this.hmacKey = hmacKey.isEmpty() ? Optional.empty() : Optional.of(hmacKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The key as it leaves the process: the actor id or its HMAC. */
  public String key(String actor) {
    if (hmacKey.isEmpty()) {
      return actor;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey.get(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(actor.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** The alert's id as it leaves the process: {@link Alert#id()} or the first 32 hex digits of its HMAC. */
  public String id(Alert a) {
    return hmacKey.isPresent() ? key(a.id()).substring(0, 32) : a.id();
  }

  /**
   * The id written at the start of a {@link #line} (the alert's id, or its HMAC when
   * pseudonymised); empty for a line without one (written by an older version).
   */
  public static String idIn(String line) {
    String prefix = "{\"id\":\"";
    int end = prefix.length() + 32;
    return line.startsWith(prefix) && line.length() > end && line.charAt(end) == '"'
        ? line.substring(prefix.length(), end) : "";
  }

  /** The alert as one line of JSON (no line break). */
  public String line(Alert a) {
    StringBuilder b = new StringBuilder(256).append('{');
    field(b, "id", id(a)).append(',');
    field(b, "key", key(a.key())).append(',');
    if (hmacKey.isPresent()) {
      b.append("\"pseudonymised\":true,");
    }
    field(b, "detector", a.detector()).append(',');
    b.append("\"score\":").append(number(a.score())).append(',');
    b.append("\"threshold\":").append(number(a.threshold())).append(',');
    field(b, "at", a.at().toString()).append(",\"reasons\":[");
    boolean first = true;
    for (Contribution c : a.explanation().contributions()) {
      b.append(first ? "" : ",").append('{');
      field(b, "name", c.name()).append(',');
      b.append("\"value\":").append(number(c.value())).append(',');
      field(b, "reason", c.reason()).append('}');
      first = false;
    }
    b.append("],");
    field(b, "summary", a.explanation().summary());
    return b.append('}').toString();
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
