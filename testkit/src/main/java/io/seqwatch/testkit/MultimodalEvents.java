package io.seqwatch.testkit;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.sim.Simulator;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated shop traffic that carries every kind of event attribute a multimodal model fuses:
 * device, IP and user agent (context), search queries (text), a numeric item rating ({@code
 * item.rating}, as an item side table joins it) and a categorical customer segment ({@code
 * actor.segment}, as a profile side table joins it). For tests of the encodings, export parity and
 * streaming; quality is measured on real logs in the benchmark.
 *
 * <p>Thread-safety: stateless.
 */
public final class MultimodalEvents {
  private MultimodalEvents() {}

  /** The events of {@code users} simulated users (seeded), with every attribute kind. */
  public static List<BehaviorEvent> of(int users, long seed) {
    List<BehaviorEvent> out = new ArrayList<>();
    for (BehaviorEvent e : Simulator.builder().users(users).seed(seed).signals(true).build().generate().events()) {
      Attributes.Builder b = Attributes.builder();
      e.itemId().ifPresent(item -> b.numeric("item.rating", 1 + Math.floorMod(item.hashCode(), 5)));
      b.categorical("actor.segment", List.of("new", "regular", "gold").get(Math.floorMod(e.actorId().hashCode(), 3)));
      out.add(e.withAttributes(e.attributes().with(b.build())));
    }
    return out;
  }
}
