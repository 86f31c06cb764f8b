package io.seqwatch.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** {@link BehaviorEvent#builder}: the same events as the constructor, each value checked when set. */
class BehaviorEventBuilderTest {
  @Test
  void buildsTheEventTheConstructorBuilds() {
    Attributes a = Attributes.builder().categorical(Attributes.DEVICE, "d-7").text(Attributes.QUERY, "red shoes").build();
    BehaviorEvent built = BehaviorEvent.builder("u42", 1_700_000_000_000L, "cart").session("s-9").item("sku-1")
        .category("shoes").price(59.9).line(12).attributes(a).build();
    assertEquals(new BehaviorEvent("u42", Optional.of("s-9"), 1_700_000_000_000L, "cart", ActionType.CART,
        Optional.of("sku-1"), Optional.of("shoes"), OptionalDouble.of(59.9), 12, a), built);
    BehaviorEvent plain = BehaviorEvent.builder("u1", 5, "pv").build();
    assertEquals(new BehaviorEvent("u1", Optional.empty(), 5, "pv", ActionType.VIEW, Optional.empty(), Optional.empty(),
        OptionalDouble.empty(), 0), plain);
    assertEquals(ActionType.OTHER, BehaviorEvent.builder("u1", 5, "E17").build().type());
    assertEquals(ActionType.PURCHASE, BehaviorEvent.builder("u1", 5, "E17").type(ActionType.PURCHASE).build().type());
  }

  @Test
  void refusesABadValueWhenItIsSetNamingIt() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BehaviorEvent.builder(" ", 1, "pv")).getMessage()
        .contains("actorId"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BehaviorEvent.builder("u", 1, ""))
        .getMessage().contains("action"));
    BehaviorEvent.Builder b = BehaviorEvent.builder("u", 1, "pv");
    assertEquals("price is not finite: NaN",
        assertThrows(IllegalArgumentException.class, () -> b.price(Double.NaN)).getMessage());
    assertEquals("line < 0: -1", assertThrows(IllegalArgumentException.class, () -> b.line(-1)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> b.item("")).getMessage().contains("itemId"));
    assertThrows(NullPointerException.class, () -> b.session(null));
    assertThrows(NullPointerException.class, () -> b.attributes(null));
    // a refused value leaves the builder as it was
    assertEquals(BehaviorEvent.builder("u", 1, "pv").build(), b.build());
  }
}
