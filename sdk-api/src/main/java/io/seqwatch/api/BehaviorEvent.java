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

  /**
   * A builder for an event of {@code actorId} at {@code timestampMillis} doing {@code action}; the
   * type defaults to {@link ActionType#fromAlias(String) the action's alias}, everything else to
   * absent. Each setter checks its value at once:
   *
   * <pre>{@code
   * BehaviorEvent e = BehaviorEvent.builder("u42", 1_700_000_000_000L, "cart")
   *     .session("s-9").item("sku-1").category("shoes").price(59.90)
   *     .attributes(Attributes.builder().categorical(Attributes.DEVICE, "d-7").build())
   *     .build();
   * }</pre>
   *
   * @throws NullPointerException for a null argument
   * @throws IllegalArgumentException for a blank actor or action
   */
  public static Builder builder(String actorId, long timestampMillis, String action) {
    return new Builder(actorId, timestampMillis, action);
  }

  /**
   * Builds a {@link BehaviorEvent}; see {@link BehaviorEvent#builder}.
   *
   * <p>Thread-safety: not thread-safe; one builder per thread. A builder may build several events.
   */
  public static final class Builder {
    private final String actorId;
    private final long timestampMillis;
    private final String action;
    private ActionType type;
    private Optional<String> sessionId = Optional.empty();
    private Optional<String> itemId = Optional.empty();
    private Optional<String> categoryId = Optional.empty();
    private OptionalDouble price = OptionalDouble.empty();
    private long line;
    private Attributes attributes = Attributes.EMPTY;

    private Builder(String actorId, long timestampMillis, String action) {
      this.actorId = nonBlank(actorId, "actorId");
      this.action = nonBlank(action, "action");
      this.timestampMillis = timestampMillis;
      this.type = ActionType.fromAlias(action);
    }

    /** The canonical type, when the action's spelling is not one {@link ActionType#fromAlias} knows. */
    public Builder type(ActionType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** The session id (non-blank). */
    public Builder session(String sessionId) {
      this.sessionId = Optional.of(nonBlank(sessionId, "sessionId"));
      return this;
    }

    /** The item id (non-blank). */
    public Builder item(String itemId) {
      this.itemId = Optional.of(nonBlank(itemId, "itemId"));
      return this;
    }

    /** The category id (non-blank). */
    public Builder category(String categoryId) {
      this.categoryId = Optional.of(nonBlank(categoryId, "categoryId"));
      return this;
    }

    /**
     * The price.
     *
     * @throws IllegalArgumentException when it is not a finite number
     */
    public Builder price(double price) {
      if (!Double.isFinite(price)) {
        throw new IllegalArgumentException("price is not finite: " + price);
      }
      this.price = OptionalDouble.of(price);
      return this;
    }

    /**
     * The 1-based source line (0, the default, for events that come from no file).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder line(long line) {
      if (line < 0) {
        throw new IllegalArgumentException("line < 0: " + line);
      }
      this.line = line;
      return this;
    }

    /** The event's other fields (device, IP, user agent, query, ...). */
    public Builder attributes(Attributes attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes");
      return this;
    }

    /** The event. */
    public BehaviorEvent build() {
      return new BehaviorEvent(actorId, sessionId, timestampMillis, action, type, itemId, categoryId, price, line,
          attributes);
    }

    private static String nonBlank(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " is blank");
      }
      return value;
    }
  }
}
