package io.seqwatch.api;

import java.util.Locale;

/**
 * A kind of information a multimodal sequence model fuses per event, and that its explanations name:
 * what was done and when ({@link #BEHAVIOUR}), what it was done to ({@link #ITEM}: category, price,
 * brand, item side-table attributes), where from ({@link #CONTEXT}: device, IP subnet, user agent, referrer
 * and the other event attributes), who did it ({@link #PROFILE}: user side-table attributes) and what
 * was typed ({@link #QUERY}: text attributes).
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum Modality {
  /** The action and the time gap before it. */
  BEHAVIOUR,
  /** The item's category and price, and attributes named {@code item.*}. */
  ITEM,
  /** The event's own categorical and numeric attributes (device, subnet, user agent, referrer). */
  CONTEXT,
  /** Attributes of the actor, named {@code actor.*}. */
  PROFILE,
  /** Text attributes (the search query), as a bag of hashed character trigrams. */
  QUERY;

  /** Attributes that describe the item although logs name them without the {@code item.} prefix. */
  private static final java.util.Set<String> ITEM_FIELDS = java.util.Set.of("brand", "category_code");

  /**
   * The modality of an attribute: {@code item.*}, {@code brand} and {@code category_code} item,
   * {@code actor.*} profile, text query, anything else context.
   */
  public static Modality of(String attribute, AttributeType type) {
    if (attribute.startsWith("item.") || ITEM_FIELDS.contains(attribute)) {
      return ITEM;
    }
    if (attribute.startsWith("actor.")) {
      return PROFILE;
    }
    return type == AttributeType.TEXT ? QUERY : CONTEXT;
  }

  /** Lower-case name, as explanations and parameter files spell it. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The modality a lower-case name spells.
   *
   * @throws IllegalArgumentException for any other text
   */
  public static Modality ofText(String text) {
    for (Modality m : values()) {
      if (m.text().equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a modality (behaviour, item, context, profile, query)");
  }
}
