package io.seqwatch.core.io;

import io.seqwatch.api.BehaviorEvent;

/**
 * One shared copy of each repeated value while events are read: an actor's id, an item's id and
 * Optional, a category's, an action name, a price and attribute values repeat on many events, and
 * held once the events cost their references only. Every table is bounded and starts again when
 * full, so memory stays bounded. Used by the readers (one per read) and by spill files read back.
 *
 * <p>Thread-safety: not thread-safe; one per read.
 */
public class SharedValues {
  static final int MAX_SHARED = 65_536;
  /** Values longer than this are not shared (free text rarely repeats). */
  static final int MAX_SHARED_CHARS = 512;
  private final java.util.HashMap<String, String> shared = new java.util.HashMap<>();

  /** Most distinct ids (actors, actions, items, categories, sessions, prices) shared at a time per table. */
  static final int MAX_IDS = 1 << 20;
  private final java.util.HashMap<String, String> ids = new java.util.HashMap<>();
  private final java.util.HashMap<String, java.util.Optional<String>> optionals = new java.util.HashMap<>();
  private final java.util.HashMap<Long, java.util.OptionalDouble> prices = new java.util.HashMap<>();

  /**
   * {@code e} with one shared copy of each repeated id and price: an actor's id, an item's id and
   * Optional, a category's, an action name, a price repeat on many events, and held once the events
   * cost their own 64 bytes and references only (300 bytes retained per Taobao event before, 80 after).
   * Each table holds at most {@value #MAX_IDS} values and starts again when full, so memory stays bounded.
   */
  public BehaviorEvent compact(BehaviorEvent e) {
    String actor = id(e.actorId());
    String action = id(e.action());
    java.util.Optional<String> session = optional(e.sessionId());
    java.util.Optional<String> item = optional(e.itemId());
    java.util.Optional<String> category = optional(e.categoryId());
    java.util.OptionalDouble price = price(e.price());
    if (actor == e.actorId() && action == e.action() && session == e.sessionId() && item == e.itemId()
        && category == e.categoryId() && price == e.price()) {
      return e;
    }
    return new BehaviorEvent(actor, session, e.timestampMillis(), action, e.type(), item, category, price, e.line(),
        e.attributes());
  }

  private String id(String value) {
    return value.length() > MAX_SHARED_CHARS ? value : share(ids, value, value, MAX_IDS);
  }

  private java.util.Optional<String> optional(java.util.Optional<String> value) {
    return value.isEmpty() || value.get().length() > MAX_SHARED_CHARS ? value
        : share(optionals, value.get(), value, MAX_IDS);
  }

  private java.util.OptionalDouble price(java.util.OptionalDouble value) {
    return value.isEmpty() ? value
        : share(prices, Double.doubleToRawLongBits(value.getAsDouble()), value, MAX_IDS);
  }

  /**
   * The value {@code table} already holds for {@code key}, else {@code value}, which it then holds;
   * a table past {@code max} entries starts again.
   */
  private static <K, V> V share(java.util.HashMap<K, V> table, K key, V value, int max) {
    V s = table.putIfAbsent(key, value);
    if (s != null) {
      return s;
    }
    if (table.size() > max) {
      table.clear();
    }
    return value;
  }

  /** The shared copy of {@code value}. */
  public String shared(String value) {
    return value.length() > MAX_SHARED_CHARS ? value : share(shared, value, value, MAX_SHARED);
  }
}
