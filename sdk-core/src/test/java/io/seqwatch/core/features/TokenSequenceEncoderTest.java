package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.Parameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

    Map<String, byte[]> files = new HashMap<>();
    enc.save(name -> new ByteArrayOutputStream() {
      @Override
      public void close() {
        files.put(name, toByteArray());
      }
    });
    FittedSequenceEncoder back = p.load(reader(files));
    assertEquals(enc.vocabulary(), back.vocabulary());
    assertEquals(fast, back.encode(new BehaviorSequence("v", List.of(e(0, "pv"), e(20, "pv"), e(21, "pv"), e(23, "cart")))));
  }

  @Test
  void vocabularySavedBeforeTheTokenOptionLoadsAsActionTokens() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Parameters.builder().put("vocabulary", List.of("<pad>", "<unk>", "pv", "cart")).put("category-buckets", 8)
        .put("min-count", 1).put("max-vocabulary", 100).build().write(b);
    FittedSequenceEncoder old = new TokenSequenceEncoderProvider().load(reader(Map.of("vocabulary.bin", b.toByteArray())));
    assertArrayEquals(new int[] {2, 3}, old.encode(new BehaviorSequence("u", List.of(e(0, "pv"), e(3, "cart")))).tokens());
  }

  @Test
  void unknownTokenModeIsAConfigurationError() {
    TokenSequenceEncoderProvider p = new TokenSequenceEncoderProvider();
    ConfigurationException x = assertThrows(ConfigurationException.class,
        () -> p.create(Options.of(p.options(), Map.of("token", "gap"))));
    assertEquals("token=gap is not one of action, action+gap", x.getMessage());
  }

  private static ArtifactReader reader(Map<String, byte[]> files) {
    return new ArtifactReader() {
      @Override
      public InputStream open(String name) {
        return new ByteArrayInputStream(files.get(name));
      }

      @Override
      public boolean contains(String name) {
        return files.containsKey(name);
      }
    };
  }

  @Test
  void minCountAndMaxVocabularyPrune() {
    BehaviorSequence train = new BehaviorSequence("u", List.of(e(0, "a"), e(1, "a"), e(2, "b"), e(3, "b"), e(4, "c")));
    assertEquals(List.of("<pad>", "<unk>", "a", "b"), new TokenSequenceEncoder(2, 100, 8).fit(List.of(train)).vocabulary());
    assertEquals(List.of("<pad>", "<unk>", "a"), new TokenSequenceEncoder(1, 1, 8).fit(List.of(train)).vocabulary());
  }
}
