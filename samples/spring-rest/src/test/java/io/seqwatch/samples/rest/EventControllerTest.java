package io.seqwatch.samples.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.Score;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.pipeline.Pipeline;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import io.seqwatch.core.stream.StreamingScorer;
import io.seqwatch.spi.Alert;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The service over HTTP on a random port, with a bundle trained on simulated shop traffic and put on
 * the test class path ({@code seqwatch.model=classpath:...}): {@code /score} returns exactly the
 * SDK's scores for the posted sequences, {@code /events} raises the live scorer's alerts, and a
 * malformed event is a 400 that names it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "seqwatch.model=classpath:rest-sample-test.zip", "seqwatch.max-actors=10000"})
class EventControllerTest {
  private static final SimulatedData DATA = Simulator.builder().users(300).anomalyRate(0.1).seed(9).build().generate();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired TestRestTemplate http;
  @Autowired FittedPipeline pipeline;

  /** The bundle, trained where the test class path serves it (before the application context starts). */
  @BeforeAll
  static void trainABundleOntoTheClassPath() throws Exception {
    Path classes = Path.of(EventControllerTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (FittedPipeline p = Pipeline.builder().detector("isolation-forest").threshold("quantile:0.9").build()
        .fitEvents(DATA.events())) {
      p.save(classes.resolve("rest-sample-test.zip"));
    }
  }

  private static Map<String, Object> json(BehaviorEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("actor", e.actorId());
    m.put("time", Instant.ofEpochMilli(e.timestampMillis()).toString());
    m.put("action", e.action());
    e.itemId().ifPresent(v -> m.put("item", v));
    e.categoryId().ifPresent(v -> m.put("category", v));
    e.sessionId().ifPresent(v -> m.put("session", v));
    e.price().ifPresent(v -> m.put("price", v));
    return m;
  }

  private ResponseEntity<String> post(String path, Object body) throws Exception {
    HttpHeaders h = new HttpHeaders();
    h.setContentType(MediaType.APPLICATION_JSON);
    return http.postForEntity(path, new HttpEntity<>(JSON.writeValueAsString(body), h), String.class);
  }

  /** The events of the first {@code n} actors, in time order. */
  private static List<BehaviorEvent> firstActors(int n) {
    List<String> actors = DATA.events().stream().map(BehaviorEvent::actorId).distinct().limit(n).toList();
    return DATA.events().stream().filter(e -> actors.contains(e.actorId())).toList();
  }

  @Test
  void scoreReturnsTheSdksScoresForThePostedSequences() throws Exception {
    List<BehaviorEvent> events = firstActors(20);
    List<Object> body = new ArrayList<>();
    events.forEach(e -> body.add(json(e)));
    ResponseEntity<String> r = post("/score", body);
    assertEquals(200, r.getStatusCode().value(), r.getBody());
    JsonNode rows = JSON.readTree(r.getBody());
    List<Score> expected = pipeline.scoreEvents(events.stream().map(e -> new BehaviorEvent(e.actorId(),
        e.sessionId(), e.timestampMillis(), e.action(), e.type(), e.itemId(), e.categoryId(), e.price(), 0)).toList());
    assertEquals(expected.size(), rows.size());
    assertEquals(20, rows.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).key(), rows.get(i).get("key").asText());
      assertEquals(expected.get(i).value(), rows.get(i).get("score").asDouble(), 1e-12);
      assertEquals(expected.get(i).anomalous(), rows.get(i).get("anomalous").asBoolean());
      assertEquals(expected.get(i).explanation().contributions().size(), rows.get(i).get("reasons").size());
    }
  }

  @Test
  void eventsRaiseTheLiveScorersAlerts() throws Exception {
    List<BehaviorEvent> events = firstActors(60);
    StreamingScorer reference = StreamingScorer.builder(pipeline).build();
    List<String> expected = new ArrayList<>();
    for (BehaviorEvent e : events) {
      for (Alert a : reference.accept(e)) {
        expected.add(a.key());
      }
    }
    assertTrue(!expected.isEmpty(), "the simulated attackers among 60 actors raise alerts");
    List<String> got = new ArrayList<>();
    for (int from = 0; from < events.size(); from += 100) { // requests of 100 events, as a backend batches them
      List<Object> body = new ArrayList<>();
      events.subList(from, Math.min(events.size(), from + 100)).forEach(e -> body.add(json(e)));
      ResponseEntity<String> r = post("/events", body);
      assertEquals(200, r.getStatusCode().value(), r.getBody());
      for (JsonNode a : JSON.readTree(r.getBody())) {
        got.add(a.get("key").asText());
        assertTrue(a.get("reasons").size() > 0 && a.get("score").asDouble() > a.get("threshold").asDouble(), a.toString());
      }
    }
    assertEquals(expected, got);
  }

  @Test
  void aMalformedEventIsA400ThatNamesIt() throws Exception {
    List<Object> body = new ArrayList<>();
    body.add(json(DATA.events().get(0)));
    Map<String, Object> bad = json(DATA.events().get(1));
    bad.put("time", "yesterday");
    body.add(bad);
    ResponseEntity<String> r = post("/score", body);
    assertEquals(400, r.getStatusCode().value());
    assertEquals("event 1: time 'yesterday' is neither an ISO-8601 instant (2017-11-25T09:14:02Z) nor Unix milliseconds",
        JSON.readTree(r.getBody()).get("error").asText());
    Map<String, Object> noActor = json(DATA.events().get(2));
    noActor.remove("actor");
    ResponseEntity<String> r2 = post("/events", List.of(noActor));
    assertEquals(400, r2.getStatusCode().value());
    assertEquals("event 0: actor is missing", JSON.readTree(r2.getBody()).get("error").asText());
  }
}
