package io.seqwatch.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.EncodedSequence;
import io.seqwatch.spi.FittedSequenceEncoder;
import io.seqwatch.spi.Options;
import io.seqwatch.spi.SequenceEncoderProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The contract every {@link SequenceEncoderProvider} keeps, on random shop sequences: ids stay inside
 * the vocabulary (padding and unknown ids included), an action never seen in training encodes as the
 * unknown id, encoding is a pure function of the sequence, and a saved encoder loads back encoding
 * every sequence the same. Extend it once per encoder (and per option set that changes the layout).
 *
 * <p>Thread-safety: a test class; one property at a time.
 */
public abstract class SequenceEncoderContractTest {
  /** The provider under test. */
  protected abstract SequenceEncoderProvider provider();

  /** Options for the encoder (its defaults when empty). */
  protected Map<String, String> options() {
    return Map.of();
  }

  private static final String[] ACTIONS = {"pv", "cart", "fav", "buy"};

  private static List<BehaviorSequence> sequences(long seed, int n, String[] actions) {
    Random r = new Random(seed);
    List<BehaviorSequence> out = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      List<BehaviorEvent> events = new ArrayList<>();
      long t = 1_511_600_000_000L + r.nextInt(86_400) * 1000L;
      int len = 1 + r.nextInt(30);
      for (int i = 0; i < len; i++) {
        t += 1000L * (1 + r.nextInt(r.nextBoolean() ? 5 : 600));
        events.add(BehaviorEvent.of("u" + s, t, actions[r.nextInt(actions.length)], "i" + r.nextInt(50),
            "c" + r.nextInt(6)));
      }
      out.add(new BehaviorSequence("u" + s, events));
    }
    return out;
  }

  private FittedSequenceEncoder fit(List<BehaviorSequence> training) {
    SequenceEncoderProvider p = provider();
    return p.create(Options.of(p.options(), options())).fit(training);
  }

  @Property(tries = 15)
  void idsStayInTheVocabularyAndEncodingIsPure(@ForAll long seed, @ForAll @IntRange(min = 5, max = 60) int n) {
    List<BehaviorSequence> training = sequences(seed, n, ACTIONS);
    FittedSequenceEncoder e = fit(training);
    int v = e.vocabularySize();
    assertTrue(v > 0 && e.paddingId() >= 0 && e.paddingId() < v && e.unknownId() >= 0 && e.unknownId() < v,
        "vocabulary " + v + ", padding " + e.paddingId() + ", unknown " + e.unknownId());
    assertEquals(v, e.vocabulary().size(), "one name per id");
    for (BehaviorSequence s : sequences(seed + 1, 10, ACTIONS)) {
      EncodedSequence a = e.encode(s);
      assertEquals(a, e.encode(s), "encoding the same sequence twice");
      for (int id : a.tokens()) {
        assertTrue(id >= 0 && id < v, "token id " + id + " outside the vocabulary of " + v);
      }
    }
  }

  @Property(tries = 10)
  void anUnseenActionIsTheUnknownId(@ForAll long seed) {
    FittedSequenceEncoder e = fit(sequences(seed, 20, ACTIONS));
    EncodedSequence x = e.encode(sequences(seed, 1, new String[] {"never-seen-action"}).get(0));
    for (int id : x.tokens()) {
      assertEquals(e.unknownId(), id);
    }
  }

  @Property(tries = 8)
  void aSavedEncoderLoadsBackEncodingTheSame(@ForAll long seed) throws Exception {
    List<BehaviorSequence> training = sequences(seed, 25, ACTIONS);
    FittedSequenceEncoder e = fit(training);
    Map<String, byte[]> files = new java.util.HashMap<>();
    e.save(MemoryArtifacts.writer(files));
    FittedSequenceEncoder back = provider().load(MemoryArtifacts.reader(files));
    assertEquals(e.vocabulary(), back.vocabulary());
    for (BehaviorSequence s : sequences(seed + 7, 10, ACTIONS)) {
      assertEquals(e.encode(s), back.encode(s));
    }
  }
}
