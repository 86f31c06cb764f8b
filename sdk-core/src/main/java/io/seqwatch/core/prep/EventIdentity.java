package io.seqwatch.core.prep;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What makes two events exact duplicates: same actor, session, time, action, item, category,
 * price and attributes (the source line does not count). The batch {@link Preprocessor} and the streaming scorer
 * drop duplicates by this one identity, so batch and stream agree on what a duplicate is.
 *
 * <p>Thread-safety: immutable.
 */
public record EventIdentity(String actor, Optional<String> session, long timestampMillis, String action,
    Optional<String> item, Optional<String> category, OptionalDouble price, Attributes attributes) {
  /** The identity of {@code e}. */
  public static EventIdentity of(BehaviorEvent e) {
    return new EventIdentity(e.actorId(), e.sessionId(), e.timestampMillis(), e.action(), e.itemId(), e.categoryId(),
        e.price(), e.attributes());
  }
}
