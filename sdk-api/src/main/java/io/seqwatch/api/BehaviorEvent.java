package io.seqwatch.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One user action: who did what, when, to which item.
 *
 * @param actorId user / client id; never blank
 * @param sessionId session id when the source has one
 * @param timestampMillis event time in Unix milliseconds (for sources without time, such as log-key
 *     tokens, the position in the sequence)
 * @param action raw action as found in the source (for example {@code pv} or an HDFS log key)
 * @param type canonical action type
 * @param itemId item id when present
 * @param categoryId category id when present
 * @param price price when present
 * @param line 1-based source line this event came from; 0 for generated events
 * @param attributes the event's other fields (device, IP, user agent, query, ...); {@link
 *     Attributes#EMPTY} when the source has none
 *     <p>Thread-safety: immutable.
 */
public record BehaviorEvent(
    String actorId,
    Optional<String> sessionId,
    long timestampMillis,
    String action,
    ActionType type,
    Optional<String> itemId,
    Optional<String> categoryId,
    OptionalDouble price,
    long line,
    Attributes attributes) {

  public BehaviorEvent {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(categoryId, "categoryId");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(attributes, "attributes");
    if (actorId.isBlank()) {
      throw new IllegalArgumentException("actorId is blank");
    }
    if (action.isBlank()) {
      throw new IllegalArgumentException("action is blank");
    }
    if (line < 0) {
      throw new IllegalArgumentException("line < 0: " + line);
    }
  }

  /** An event without attributes. */
  public BehaviorEvent(String actorId, Optional<String> sessionId, long timestampMillis, String action,
      ActionType type, Optional<String> itemId, Optional<String> categoryId, OptionalDouble price, long line) {
    this(actorId, sessionId, timestampMillis, action, type, itemId, categoryId, price, line, Attributes.EMPTY);
  }

  /** This event with {@code attributes} instead of its own. */
  public BehaviorEvent withAttributes(Attributes attributes) {
    return new BehaviorEvent(actorId, sessionId, timestampMillis, action, type, itemId, categoryId, price, line,
        attributes);
  }

  /** Shorthand for an event with an item and category and nothing else optional. */
  public static BehaviorEvent of(
      String actorId, long timestampMillis, String action, String itemId, String categoryId) {
    return new BehaviorEvent(
        actorId,
        Optional.empty(),
        timestampMillis,
        action,
        ActionType.fromAlias(action),
        Optional.of(itemId),
        Optional.of(categoryId),
        OptionalDouble.empty(),
        0);
  }
}
