package io.seqwatch.core.stream;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.spi.Alert;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link StreamingScorer}'s per-sequence logic for stream processors that keep keyed state
 * themselves (a Flink {@code KeyedProcessFunction} with {@code ValueState<byte[]>}): the caller
 * passes a sequence's state bytes in with each event and stores the bytes that come back. Events
 * are processed as they come (the processor's watermarks handle order); one older than what the
 * sequence already processed comes back marked late. Same scores, same alerts, same state layout
 * as the {@code StreamingScorer}.
 *
 * <pre>{@code
 * KeyedScorer.Step step = scorer.accept(state.value(), event);
 * state.update(step.state());
 * step.alert().ifPresent(out::collect);
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent calls on different keys.
 */
public final class KeyedScorer {
  private final StreamingScorer scorer;

  public KeyedScorer(FittedPipeline pipeline) {
    this.scorer = StreamingScorer.builder(pipeline).build();
  }

  /** The key a processor should key the stream by for this pipeline's grouping (actor or session). */
  public String keyOf(BehaviorEvent e) {
    return scorer.keyOf(e);
  }

  /**
   * The outcome of one event.
   *
   * @param state the sequence's new state bytes, to store
   * @param key the sequence key (as batch scoring names it)
   * @param score its score after the event (NaN when the event was late or a duplicate)
   * @param anomalous whether the score is over the threshold
   * @param alert the alert, when this event started an anomalous episode
   * @param late whether the event was older than what the sequence had processed (not scored)
   * @param duplicate whether it was an exact duplicate (not scored)
   *     <p>Thread-safety: immutable.
   */
  public record Step(byte[] state, String key, double score, boolean anomalous, Optional<Alert> alert, boolean late,
      boolean duplicate) {}

  /**
   * Scores one event against a sequence's state.
   *
   * @param state the bytes of the previous {@link Step#state()}, or null for a new sequence
   * @throws ModelFormatException when the state bytes are not this pipeline's
   */
  public Step accept(byte[] state, BehaviorEvent e) {
    SequenceState s;
    if (state == null) {
      s = scorer.newSequence(scorer.keyOf(e), e.timestampMillis());
    } else {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
        s = StreamSnapshot.readState(in, scorer, StreamSnapshot.VERSION);
      } catch (IOException | RuntimeException ex) {
        throw new ModelFormatException("keyed streaming state of " + state.length + " bytes does not fit this "
            + "pipeline: " + ex.getMessage(), ex);
      }
    }
    List<Alert> alerts = new ArrayList<>(1);
    s.lastSeen = Math.max(s.lastSeen, e.timestampMillis());
    StreamingScorer.Outcome outcome = scorer.processOne(s, e, alerts);
    boolean late = outcome == StreamingScorer.Outcome.LATE;
    boolean dup = outcome == StreamingScorer.Outcome.DUPLICATE;
    boolean scored = !late && !dup;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      StreamSnapshot.writeState(out, scorer, s);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    double score = scored ? s.score : Double.NaN;
    return new Step(bytes.toByteArray(), s.sequenceKey(), score, outcome == StreamingScorer.Outcome.ANOMALOUS,
        alerts.isEmpty() ? Optional.empty() : Optional.of(alerts.get(0)), late, dup);
  }
}
