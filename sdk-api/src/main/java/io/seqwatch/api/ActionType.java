package io.seqwatch.api;

import java.util.Locale;

/**
 * Canonical behaviour kinds shared by all e-commerce formats. Readers map their own vocabulary
 * (Taobao {@code pv}, REES46 {@code view}, ...) onto these; the raw action string is kept as well, so
 * sequence encoders can still tell apart tokens that map to {@link #OTHER} (for example HDFS log keys).
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum ActionType {
  SEARCH,
  VIEW,
  CLICK,
  FAVORITE,
  CART,
  REMOVE_FROM_CART,
  PURCHASE,
  OTHER;

  /**
   * Maps a common action spelling to its type; unknown spellings map to {@link #OTHER}.
   *
   * @param action raw action, case-insensitive
   * @return the canonical type
   */
  public static ActionType fromAlias(String action) {
    switch (action.toLowerCase(Locale.ROOT)) {
      case "search":
      case "query":
        return SEARCH;
      case "pv":
      case "view":
      case "page_view":
      case "pageview":
        return VIEW;
      case "click":
      case "clk":
        return CLICK;
      case "fav":
      case "favorite":
      case "favourite":
      case "like":
        return FAVORITE;
      case "cart":
      case "add_to_cart":
      case "addtocart":
        return CART;
      case "remove_from_cart":
      case "removefromcart":
        return REMOVE_FROM_CART;
      case "buy":
      case "purchase":
      case "order":
      case "transaction":
        return PURCHASE;
      default:
        return OTHER;
    }
  }
}
