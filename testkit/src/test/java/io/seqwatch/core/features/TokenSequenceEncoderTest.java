package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.EncodedAttributes;
import io.seqwatch.api.Modality;
import java.util.ArrayList;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.testkit.MemoryArtifacts;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.support.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenSequenceEncoderTest {
  private static BehaviorEvent e(long s, String a) {
    return BehaviorEvent.of("u", 1_511_658_000_000L + s * 1000, a, "i", "c");
  }

  @Test
  void vocabularyByFrequencyWithPaddingUnknownAndGapBuckets() {
    BehaviorSequence train = new BehaviorSequence("u", List.of(e(0, "pv"), e(1, "pv"), e(3, "cart"), e(100, "pv"), e(5000, "buy")));
    FittedSequenceEncoder enc = new TokenSequenceEncoder(1, 100, 64).fit(List.of(train));
    assertEquals(List.of("<pad>", "<unk>", "pv", "buy", "cart"), enc.vocabulary());
    EncodedSequence x = enc.encode(new BehaviorSequence("v", List.of(e(0, "pv"), e(0, "fav"), e(40, "cart"), e(4000, "buy"))));
    assertArrayEquals(new int[] {2, 1, 4, 3}, x.tokens());
    assertArrayEquals(new int[] {0, 1, 4, 7}, x.gapBuckets());
    assertEquals(0, enc.paddingId());
    assertEquals(1, enc.unknownId());
    assertEquals(8, enc.gapBucketCount());
    int c = x.categoryIds()[0];
    assertEquals(true, c >= 1 && c < 64);
  }

  @Test
  void actionGapTokensCarryThePaceAndSurviveSaveAndLoad() throws IOException {
    BehaviorSequence train = new BehaviorSequence("u", List.of(e(0, "pv"), e(20, "pv"), e(22, "cart"), e(100, "buy")));
    TokenSequenceEncoderProvider p = new TokenSequenceEncoderProvider();
    FittedSequenceEncoder enc = p.create(Options.of(p.options(), Map.of("token", "action+gap"))).fit(List.of(train));
    assertEquals(List.of("<pad>", "<unk>", "buy@30s-2m", "cart@1-5s", "pv@5-30s", "pv@start"), enc.vocabulary());
    // the same actions at machine pace are other tokens: unknown to this vocabulary
    EncodedSequence fast = enc.encode(new BehaviorSequence("v", List.of(e(0, "pv"), e(20, "pv"), e(21, "pv"), e(23, "cart"))));
    assertArrayEquals(new int[] {5, 4, 1, 3}, fast.tokens());
    assertArrayEquals(new int[] {0, 3, 2, 2}, fast.gapBuckets());

    FittedSequenceEncoder back = p.load(MemoryArtifacts.reader(saved(enc)));
    assertEquals(enc.vocabulary(), back.vocabulary());
    assertEquals(fast, back.encode(new BehaviorSequence("v", List.of(e(0, "pv"), e(20, "pv"), e(21, "pv"), e(23, "cart")))));
  }

  @Test
  void vocabularySavedBeforeTheTokenOptionLoadsAsActionTokens() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Parameters.builder().put("vocabulary", List.of("<pad>", "<unk>", "pv", "cart")).put("category-buckets", 8)
        .put("min-count", 1).put("max-vocabulary", 100).build().write(b);
    FittedSequenceEncoder old = new TokenSequenceEncoderProvider().load(MemoryArtifacts.reader(Map.of("vocabulary.bin", b.toByteArray())));
    assertArrayEquals(new int[] {2, 3}, old.encode(new BehaviorSequence("u", List.of(e(0, "pv"), e(3, "cart")))).tokens());
  }

  @Test
  void unknownTokenModeIsAConfigurationError() {
    TokenSequenceEncoderProvider p = new TokenSequenceEncoderProvider();
    ConfigurationException x = assertThrows(ConfigurationException.class,
        () -> p.create(Options.of(p.options(), Map.of("token", "gap"))));
    assertEquals("token=gap is not one of action, action+gap", x.getMessage());
  }

  private static BehaviorEvent e(long s, String a, Attributes attributes) {
    return e(s, a).withAttributes(attributes);
  }

  @Test
  void attributesAutoHashCategoriesBagQueryTrigramsStandardiseNumbersAndLeaveIdentifiersOut() throws IOException {
    List<BehaviorEvent> ev = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Attributes.Builder b = Attributes.builder().categorical("device", "d" + i).categorical("ip", "10.0.0." + i)
          .categorical("user_agent", i % 2 == 0 ? "Mozilla/5.0" : "okhttp/4.12.0").numeric("item.rating", i % 5)
          .categorical("actor.segment", "gold");
      if (i % 10 == 0) {
        b.text("query", "red shoes");
      }
      ev.add(e(i, "pv", b.build()));
    }
    TokenSequenceEncoderProvider p = new TokenSequenceEncoderProvider();
    FittedSequenceEncoder enc = p.create(Options.of(p.options(), Map.of("attributes", "auto", "attribute-buckets", "64")))
        .fit(List.of(new BehaviorSequence("u", ev)));
    EncodedAttributes.Layout layout = enc.attributeLayout();
    // sorted names; device and ip are identifiers; the query fills its trigram slots
    List<String> slots = new ArrayList<>(List.of("actor.segment"));
    slots.addAll(java.util.Collections.nCopies(AttributeEncoding.TEXT_GRAMS, "query"));
    slots.add("user_agent");
    assertEquals(slots, layout.slotNames());
    assertEquals(List.of("item.rating"), layout.valueNames());
    assertEquals(Modality.PROFILE, layout.slotModalities().get(0));
    assertEquals(Modality.QUERY, layout.slotModalities().get(1));
    assertEquals(Modality.CONTEXT, layout.slotModalities().get(slots.size() - 1));
    assertEquals(List.of(Modality.ITEM), layout.valueModalities());

    EncodedSequence x = enc.encode(new BehaviorSequence("v", List.of(
        e(0, "pv", Attributes.builder().text("query", "Red Shoes").numeric("item.rating", 2).build()),
        e(1, "pv", Attributes.builder().categorical("user_agent", "okhttp/4.12.0").build()))));
    EncodedAttributes a = x.attributes();
    assertEquals(0, a.id(0, 0)); // no segment
    // " red shoes " has 9 distinct trigrams (lower-cased), the other slots stay 0
    int grams = 0;
    for (int k = 1; k <= AttributeEncoding.TEXT_GRAMS; k++) {
      grams += a.id(0, k) != 0 ? 1 : 0;
    }
    assertEquals(9, grams);
    assertEquals(0, a.id(0, slots.size() - 1));
    assertEquals(0f, a.value(1, 0)); // absent numbers are 0
    assertEquals(0f, a.value(0, 0), 1e-6); // the mean rating is 2
    assertEquals(enc.encode(new BehaviorSequence("w", List.of(ev.get(1)))).attributes().id(0, slots.size() - 1),
        a.id(1, slots.size() - 1));

    FittedSequenceEncoder back = p.load(MemoryArtifacts.reader(saved(enc)));
    assertEquals(layout, back.attributeLayout());
    assertEquals(x, back.encode(new BehaviorSequence("v", List.of(
        e(0, "pv", Attributes.builder().text("query", "Red Shoes").numeric("item.rating", 2).build()),
        e(1, "pv", Attributes.builder().categorical("user_agent", "okhttp/4.12.0").build())))));
  }

  @Test
  void attributesAreNoneByDefaultAndAListedAttributeNoEventCarriesIsAnError() {
    BehaviorSequence train = new BehaviorSequence("u", List.of(e(0, "pv", Attributes.builder().categorical("device", "d").build())));
    TokenSequenceEncoderProvider p = new TokenSequenceEncoderProvider();
    assertEquals(EncodedAttributes.Layout.NONE, p.create(Options.of(p.options(), Map.of())).fit(List.of(train)).attributeLayout());
    assertEquals(List.of("device"), p.create(Options.of(p.options(), Map.of("attributes", "device"))).fit(List.of(train))
        .attributeLayout().slotNames());
    ConfigurationException x = assertThrows(ConfigurationException.class,
        () -> p.create(Options.of(p.options(), Map.of("attributes", "referrer"))).fit(List.of(train)));
    assertEquals("attributes=referrer names 'referrer', which no training event carries; the events carry [device]",
        x.getMessage());
  }

  /** The files an encoder saves, by name. */
  private static Map<String, byte[]> saved(FittedSequenceEncoder enc) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    enc.save(MemoryArtifacts.writer(files));
    return files;
  }

  @Test
  void minCountAndMaxVocabularyPrune() {
    BehaviorSequence train = new BehaviorSequence("u", List.of(e(0, "a"), e(1, "a"), e(2, "b"), e(3, "b"), e(4, "c")));
    assertEquals(List.of("<pad>", "<unk>", "a", "b"), new TokenSequenceEncoder(2, 100, 8).fit(List.of(train)).vocabulary());
    assertEquals(List.of("<pad>", "<unk>", "a"), new TokenSequenceEncoder(1, 1, 8).fit(List.of(train)).vocabulary());
  }
}
