package io.seqwatch.samples.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One event as the shop's backend posts it: {@code actor}, {@code time} (ISO-8601 instant or Unix
 * milliseconds), {@code action}, and optionally {@code session}, {@code item}, {@code category},
 * {@code price} and {@code attributes} (strings are categorical, numbers numeric; {@code query} is
 * text).
 *
 * <p>Thread-safety: immutable.
 */
public record EventJson(String actor, String session, JsonNode time, String action, String item, String category,
    Double price, Map<String, Object> attributes) {

  /**
   * The event, or an {@link IllegalArgumentException} that says what is wrong with it.
   *
   * @param index the event's position in the request (0-based), for the message
   */
  BehaviorEvent toEvent(int index) {
    String where = "event " + index + ": ";
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException(where + "actor is missing");
    }
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException(where + "action is missing");
    }
    if (time == null || time.isNull()) {
      throw new IllegalArgumentException(where + "time is missing (an ISO-8601 instant or Unix milliseconds)");
    }
    long millis;
    if (time.isIntegralNumber()) {
      millis = time.asLong();
    } else {
      try {
        millis = Instant.parse(time.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(where + "time '" + time.asText()
            + "' is neither an ISO-8601 instant (2017-11-25T09:14:02Z) nor Unix milliseconds");
      }
    }
    if (price != null && !Double.isFinite(price)) {
      throw new IllegalArgumentException(where + "price is not a finite number");
    }
    Attributes.Builder a = Attributes.builder();
    if (attributes != null) {
      for (Map.Entry<String, Object> e : attributes.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Number n) {
          a.numeric(e.getKey(), n.doubleValue());
        } else if (v instanceof String s) {
          if (e.getKey().equals(Attributes.QUERY)) {
            a.text(e.getKey(), s);
          } else {
            a.categorical(e.getKey(), s);
          }
        } else if (v != null) {
          throw new IllegalArgumentException(where + "attribute '" + e.getKey() + "' must be a string or a number");
        }
      }
    }
    return new BehaviorEvent(actor, Optional.ofNullable(session), millis, action, ActionType.fromAlias(action),
        Optional.ofNullable(item), Optional.ofNullable(category),
        price == null ? OptionalDouble.empty() : OptionalDouble.of(price), index + 1L, a.build());
  }
}
