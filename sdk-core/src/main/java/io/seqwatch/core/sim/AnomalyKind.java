package io.seqwatch.core.sim;

import java.util.Locale;

/**
 * The anomalous behaviours the simulator injects, each a pattern risk teams hunt for.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum AnomalyKind {
  /** Click fraud: hundreds of views of a few target items at a steady machine pace. */
  CLICK_BOT,
  /** Brushing / fake orders: fast view-cart-buy cycles on a few items of one shop. */
  BRUSHING,
  /** Scraper: sequential crawl of many distinct items across categories, steady pace, at night. */
  SCRAPER,
  /** Account takeover: a normal history, then a night burst of carts and purchases in new categories. */
  ACCOUNT_TAKEOVER,
  /** Cart abuse: many cart additions of the same items with few views and no purchase. */
  CART_ABUSE,
  /** A real human session replayed several times at machine pace. */
  REPLAYED_SESSION;

  /** Lower-case label, for example {@code click_bot}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
