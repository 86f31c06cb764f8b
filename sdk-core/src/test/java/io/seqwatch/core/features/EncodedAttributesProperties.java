package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.spi.FittedSequenceEncoder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Encoded attributes follow their events: any split of an encoded sequence joined back is the
 * sequence, and encoding a part of the events gives that part of the encoding (what streaming, which
 * encodes one event at a time, relies on).
 */
class EncodedAttributesProperties {
  @Property(tries = 60)
  void slicesOfAnEncodingAreTheEncodingsOfTheSlices(@ForAll @Size(min = 1, max = 30) List<@IntRange(max = 5) Integer> uas,
      @ForAll @StringLength(max = 20) String query, @ForAll @IntRange(max = 30) int cut) {
    List<BehaviorEvent> events = new ArrayList<>();
    for (int i = 0; i < uas.size(); i++) {
      Attributes.Builder b = Attributes.builder().numeric("item.rating", uas.get(i) * 0.5);
      if (uas.get(i) > 0) {
        b.categorical("user_agent", "agent-" + uas.get(i));
      }
      if (i % 3 == 0) {
        b.text("query", query + i);
      }
      events.add(BehaviorEvent.of("u", 1_700_000_000_000L + i * 1000L, "pv", "i" + i, "c").withAttributes(b.build()));
    }
    FittedSequenceEncoder enc = new TokenSequenceEncoder(1, 100, 64, TokenSequenceEncoder.TokenMode.ACTION, "auto", 256)
        .fit(List.of(new BehaviorSequence("u", events)));
    EncodedSequence whole = enc.encode(new BehaviorSequence("u", events));
    int k = Math.min(cut, whole.length() - 1); // a sequence has at least one event
    assertEquals(whole, whole.range(0, k).append(whole.range(k, whole.length())));
    assertEquals(whole.attributes().range(k, whole.length()),
        enc.encode(new BehaviorSequence("u", events.subList(k, events.size()))).attributes());
  }
}
