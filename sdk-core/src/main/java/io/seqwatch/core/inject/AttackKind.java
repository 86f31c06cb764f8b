package io.seqwatch.core.inject;

import io.seqwatch.api.ConfigurationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The attacks {@link Injector} grafts into a real log. Each attacker's parameters are drawn at
 * random per attacker (ranges in each constant's description), so that no two look alike.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum AttackKind {
  /** Views of 1-5 target items of one category, 60-400 events at a steady 1-6 s pace (+-15 %). */
  CLICK_BOT(false),
  /** A crawl of 80-600 distinct items, category after category, every 0.5-3 s. */
  SCRAPER(false),
  /** 5-25 view-cart-buy cycles on 1-3 items of one category, cycles 10-120 s apart, steps 2-8 s. */
  BRUSHING(true),
  /** A few views, then 20-100 cart additions (with removals where the log has them) of 2-6 items, 5-300 s apart. */
  CART_ABUSE(true),
  /**
   * A real actor's own history continued by someone else: 30 min - 3 h after the owner's last
   * event, 3-12 view-cart-buy runs (views only where the log has no carts) in categories the owner
   * never visited, 2-10 s between steps. The real actor's key is labelled.
   */
  ACCOUNT_TAKEOVER(false),
  /** A real person's session (6+ events) replayed 2-6 times back to back at 1-2 s per event. */
  REPLAYED_SESSION(false),
  /**
   * Credential-stuffing-like probing: 15-60 bursts of 1-2 views of popular items, bursts 5-120 s
   * apart, as one client cycling through accounts.
   */
  CREDENTIAL_STUFFING(false);

  private final boolean needsCart;

  AttackKind(boolean needsCart) {
    this.needsCart = needsCart;
  }

  /** Whether the attack needs cart and purchase actions, which view-only logs cannot express. */
  public boolean needsCart() {
    return needsCart;
  }

  /** Lower-case label, for example {@code click_bot}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind for a label ({@code click_bot} or {@code click-bot}).
   *
   * @throws ConfigurationException naming the kinds when {@code label} is none of them
   */
  public static AttackKind parse(String label) {
    String l = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (AttackKind k : values()) {
      if (k.name().equals(l)) {
        return k;
      }
    }
    throw new ConfigurationException("unknown attack kind '" + label + "'; kinds: "
        + Arrays.stream(values()).map(AttackKind::label).collect(Collectors.joining(", ")));
  }
}
