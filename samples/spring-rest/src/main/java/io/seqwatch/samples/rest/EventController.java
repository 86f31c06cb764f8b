package io.seqwatch.samples.rest;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Contribution;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.spi.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two ways a shop asks about behaviour:
 *
 * <ul>
 *   <li>{@code POST /score}: the request's events are one or more whole sequences (a session at
 *       checkout, a batch from a queue); they are cleaned, grouped and scored as {@code seqwatch
 *       score} would, and each sequence comes back with its score, decision and reasons. Stateless.
 *   <li>{@code POST /events}: the request's events join the live {@link StreamingScorer} (the
 *       starter's bean: per-actor state, bounded, snapshotted at shutdown); the alerts they raise
 *       come back and also go to the configured sinks.
 * </ul>
 *
 * A malformed event is answered with 400 and what is wrong with which event; nothing is scored.
 *
 * <p>Thread-safety: safe for concurrent requests (the pipeline and the streaming scorer are).
 */
@RestController
public class EventController {
  private final FittedPipeline pipeline;
  private final StreamingScorer scorer;

  public EventController(FittedPipeline pipeline, StreamingScorer scorer) {
    this.pipeline = pipeline;
    this.scorer = scorer;
  }

  /** A sequence's verdict. */
  public record SequenceScore(String key, double score, boolean anomalous, List<String> reasons) {}

  /** An alert the live scorer raised. */
  public record AlertJson(String id, String key, String detector, double score, double threshold,
      List<String> reasons) {}

  @PostMapping("/score")
  public List<SequenceScore> score(@RequestBody List<EventJson> body) {
    List<SequenceScore> out = new ArrayList<>();
    for (Score s : pipeline.scoreEvents(toEvents(body))) {
      out.add(new SequenceScore(s.key(), s.value(), s.anomalous(), reasons(s.explanation().contributions())));
    }
    return out;
  }

  @PostMapping("/events")
  public List<AlertJson> events(@RequestBody List<EventJson> body) {
    List<AlertJson> out = new ArrayList<>();
    for (BehaviorEvent e : toEvents(body)) {
      for (Alert a : scorer.accept(e)) {
        out.add(new AlertJson(a.id(), a.key(), a.detector(), a.score(), a.threshold(),
            reasons(a.explanation().contributions())));
      }
    }
    return out;
  }

  /** Every event converted before any is scored: a bad one rejects the request whole. */
  private static List<BehaviorEvent> toEvents(List<EventJson> body) {
    if (body == null || body.isEmpty()) {
      throw new IllegalArgumentException("no events in the request body (a JSON array of events)");
    }
    List<BehaviorEvent> events = new ArrayList<>(body.size());
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i) == null) {
        throw new IllegalArgumentException("event " + i + ": null");
      }
      events.add(body.get(i).toEvent(i));
    }
    return events;
  }

  private static List<String> reasons(List<Contribution> contributions) {
    List<String> r = new ArrayList<>(contributions.size());
    for (Contribution c : contributions) {
      r.add(c.reason());
    }
    return r;
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", e.getMessage()));
  }
}
