package io.seqwatch.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.spi.FittedSequenceEncoder;
import java.util.List;
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
  void minCountAndMaxVocabularyPrune() {
    BehaviorSequence train = new BehaviorSequence("u", List.of(e(0, "a"), e(1, "a"), e(2, "b"), e(3, "b"), e(4, "c")));
    assertEquals(List.of("<pad>", "<unk>", "a", "b"), new TokenSequenceEncoder(2, 100, 8).fit(List.of(train)).vocabulary());
    assertEquals(List.of("<pad>", "<unk>", "a"), new TokenSequenceEncoder(1, 1, 8).fit(List.of(train)).vocabulary());
  }
}
