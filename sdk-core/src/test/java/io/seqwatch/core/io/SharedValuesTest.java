package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.seqwatch.api.BehaviorEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A read holds each repeated id once: events that repeat an actor, item, category or price share it. */
class SharedValuesTest {
  private static List<BehaviorEvent> read(String format, String text) throws IOException {
    List<BehaviorEvent> out = new ArrayList<>();
    EventReaders.forFormat(format).read(new BufferedReader(new StringReader(text)), out::add, r -> {
      throw new AssertionError(r.toString());
    });
    return out;
  }

  @Test
  void repeatedIdsAndPricesAreOneObject() throws IOException {
    List<BehaviorEvent> t = read("taobao", "1,10,7,pv,1511544000\n1,10,7,cart,1511544060\n2,10,8,pv,1511544070\n");
    assertEquals(3, t.size());
    assertSame(t.get(0).actorId(), t.get(1).actorId());
    assertSame(t.get(0).itemId(), t.get(2).itemId());
    assertSame(t.get(0).categoryId(), t.get(1).categoryId());
    assertEquals("2", t.get(2).actorId());
    List<BehaviorEvent> r = read("rees46", "event_time,event_type,product_id,category_id,category_code,brand,price,"
        + "user_id,user_session\n2019-10-01 00:00:00 UTC,view,5,9,,acme,12.5,u,s\n"
        + "2019-10-01 00:00:05 UTC,cart,5,9,,acme,12.5,u,s\n");
    assertSame(r.get(0).price(), r.get(1).price());
    assertSame(r.get(0).sessionId(), r.get(1).sessionId());
    assertEquals(12.5, r.get(1).price().getAsDouble());
  }
}
