package io.seqwatch.plugin.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.seqwatch.api.Contribution;
import io.seqwatch.api.Explanation;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.Options;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {
  @TempDir Path dir;

  private static Alert alert(String key, double score) {
    return new Alert(key, "isolation-forest", score, 0.6, new Explanation(List.of(new Contribution("count_cart", 32, 1,
        0.5, "count_cart 32 is 32x the training median 1 \"quoted\"\nnext line"))), Instant.parse("2017-11-25T01:02:03Z"));
  }

  private static AlertSink sink(String name, Map<String, String> options) {
    AlertSinkProvider p = Registries.discover().sinks().find(name);
    return p.create(Options.of(p.options(), options));
  }

  /** A response with a small body of known length (keep-alive friendly). */
  /** A started endpoint that answers 200 and keeps every body it receives in {@code received}. */
  private static HttpServer receiving(ConcurrentLinkedQueue<String> received) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/alerts", x -> {
      received.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      respond(x, 200);
    });
    server.start();
    return server;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange x, int status) throws IOException {
    byte[] body = ("status " + status).getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, body.length);
    x.getResponseBody().write(body);
    x.close();
  }

  @Test
  void jsonlWritesOneParsableLinePerAlertAndCanPseudonymise() throws IOException {
    Path file = dir.resolve("out/alerts.jsonl");
    try (AlertSink s = sink("jsonl", Map.of("path", file.toString()))) {
      s.send(alert("user-1", 0.91));
      s.send(alert("user-2", 0.75));
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    JsonNode a = new ObjectMapper().readTree(lines.get(0));
    assertEquals("user-1", a.get("key").asText());
    assertEquals(0.91, a.get("score").asDouble(), 1e-9);
    assertEquals("count_cart", a.get("reasons").get(0).get("name").asText());
    assertTrue(a.get("summary").asText().contains("\"quoted\"\nnext line"));

    Path hashed = dir.resolve("hashed.jsonl");
    try (AlertSink s = sink("jsonl", Map.of("path", hashed.toString(), "hmac-key", "secret"))) {
      s.send(alert("user-1", 0.9));
      s.send(alert("user-1", 0.8));
      s.send(alert("user-2", 0.8));
    }
    List<JsonNode> h = Files.readAllLines(hashed).stream().map(l -> {
      try {
        return new ObjectMapper().readTree(l);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    assertTrue(h.get(0).get("pseudonymised").asBoolean());
    assertEquals(64, h.get(0).get("key").asText().length());
    assertEquals(h.get(0).get("key"), h.get(1).get("key")); // one actor joins across alerts
    assertNotEquals(h.get(0).get("key"), h.get(2).get("key"));
    assertTrue(Files.readString(hashed).indexOf("user-1") < 0);
  }

  @Test
  void jsonlCarriesTheAlertIdAndCutsATornLineACrashLeftBehind() throws IOException {
    Path file = dir.resolve("ids.jsonl");
    Alert first = alert("user-1", 0.91);
    Files.writeString(file, "{\"id\":\"whole\"}\n{\"id\":\"0123", StandardCharsets.UTF_8); // killed mid-write
    try (AlertSink s = sink("jsonl", Map.of("path", file.toString()))) {
      s.send(first);
      s.flush();
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(List.of("{\"id\":\"whole\"}"), lines.subList(0, 1));
    assertEquals(2, lines.size(), "the torn line is gone, the new alert follows the whole one");
    JsonNode a = new ObjectMapper().readTree(lines.get(1));
    assertEquals(first.id(), a.get("id").asText());
    assertEquals(Alert.idOf("isolation-forest", "user-1", first.at()), first.id());
    assertEquals(32, first.id().length());
    // pseudonymised: the id is an HMAC too (the plain id could be recomputed from a guessed actor id)
    Path hashed = dir.resolve("ids-hashed.jsonl");
    try (AlertSink s = sink("jsonl", Map.of("path", hashed.toString(), "hmac-key", "secret", "fsync", "every"))) {
      s.send(first);
      s.send(first);
    }
    List<String> h = Files.readAllLines(hashed);
    String id = new ObjectMapper().readTree(h.get(0)).get("id").asText();
    assertEquals(32, id.length());
    assertNotEquals(first.id(), id);
    assertEquals(h.get(0), h.get(1), "the same alert twice has the same id: a consumer drops the repeat");
    assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> sink("jsonl", Map.of("path", hashed.toString(), "fsync", "sometimes")));
  }

  @Test
  void aLambdaIsASink() {
    List<Alert> got = new java.util.ArrayList<>();
    AlertSink sink = got::add;
    sink.send(alert("u", 1));
    sink.flush();
    sink.close();
    assertEquals(1, got.size());
  }

  @Test
  void webhookSendsTheIdAsIdempotencyKeyAndFlushLeavesNothingOnlyInMemory() throws Exception {
    ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/alerts", x -> {
      x.getRequestBody().readAllBytes();
      keys.add(x.getRequestHeaders().getFirst("Idempotency-Key"));
      try {
        release.await(); // a receiver that does not answer until the test lets it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(x, 200);
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
      Path spill = dir.resolve("flush-spill.jsonl");
      WebhookAlertSinkProvider.Webhook s = (WebhookAlertSinkProvider.Webhook) sink("webhook", Map.of("url", url,
          "timeout-ms", "300", "retries", "0", "spill", spill.toString()));
      Alert a = alert("user-1", 0.9);
      Alert b = alert("user-2", 0.9);
      s.send(a);
      s.send(b);
      s.flush(); // the receiver hangs: after the timeout both are in the synced spill file
      List<String> spilled = Files.readAllLines(spill);
      assertTrue(spilled.stream().anyMatch(l -> l.contains(a.id())), spilled.toString());
      assertTrue(spilled.stream().anyMatch(l -> l.contains(b.id())), spilled.toString());
      release.countDown();
      s.close();
      assertEquals(a.id(), keys.peek());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void webhookRetriesFailuresWithBackOffAndDeliversEveryAlert() throws Exception {
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/alerts", x -> {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean fail = calls.incrementAndGet() % 3 == 1; // every third call fails with 503
      if (!fail) {
        received.add(body + " " + x.getRequestHeaders().getFirst("X-Token"));
      }
      respond(x, fail ? 503 : 202);
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
      WebhookAlertSinkProvider.Webhook s = (WebhookAlertSinkProvider.Webhook) sink("webhook", Map.of("url", url,
          "backoff-ms", "5", "header", "X-Token: abc", "spill", dir.resolve("spill.jsonl").toString()));
      for (int i = 0; i < 20; i++) {
        s.send(alert("user-" + i, 0.9));
      }
      s.close();
      assertEquals(20, received.size());
      assertEquals(20, s.delivered());
      assertEquals(0, s.spilled());
      assertTrue(received.stream().allMatch(r -> r.endsWith(" abc")));
      assertTrue(calls.get() > 20, "some calls were retried: " + calls.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void undeliveredAlertsSpillToDiskAndAreSentOnTheNextStart() throws Exception {
    Path spill = dir.resolve("spill.jsonl");
    // the endpoint is down: it answers 503 to everything
    HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    failing.createContext("/alerts", x -> {
      x.getRequestBody().readAllBytes();
      respond(x, 503);
    });
    failing.start();
    WebhookAlertSinkProvider.Webhook down;
    try {
      down = (WebhookAlertSinkProvider.Webhook) sink("webhook", Map.of("url",
          "http://127.0.0.1:" + failing.getAddress().getPort() + "/alerts", "retries", "1", "backoff-ms", "1", "queue", "3",
          "spill", spill.toString(), "timeout-ms", "500"));
      for (int i = 0; i < 10; i++) {
        down.send(alert("user-" + i, 0.9));
      }
      down.close();
    } finally {
      failing.stop(0);
    }
    assertEquals(0, down.delivered());
    assertEquals(10, Files.readAllLines(spill).size());

    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    HttpServer server = receiving(received);
    try {
      WebhookAlertSinkProvider.Webhook up = (WebhookAlertSinkProvider.Webhook) sink("webhook", Map.of("url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts", "spill", spill.toString()));
      up.send(alert("user-new", 0.9));
      up.close();
      assertEquals(11, received.size());
      assertTrue(!Files.exists(spill) || Files.readAllLines(spill).isEmpty());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aCrashWhileResendingTheSpillLosesNothing() throws Exception {
    Path spill = dir.resolve("crash-spill.jsonl");
    Path resending = dir.resolve("crash-spill.jsonl.resending");
    // what a run killed during its resend leaves: the backlog it was resending, and new spills
    Files.write(resending, List.of("{\"key\":\"old-1\"}", "{\"key\":\"old-2\"}"));
    Files.write(spill, List.of("{\"key\":\"new-1\"}"));
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    HttpServer server = receiving(received);
    try {
      WebhookAlertSinkProvider.Webhook up = (WebhookAlertSinkProvider.Webhook) sink("webhook", Map.of("url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts", "spill", spill.toString()));
      // until the backlog is delivered it stays on disk, so a kill -9 now would resend, not lose, it
      assertTrue(Files.exists(resending) || received.size() == 3);
      up.close();
      assertEquals(List.of("{\"key\":\"old-1\"}", "{\"key\":\"old-2\"}", "{\"key\":\"new-1\"}"),
          List.copyOf(received));
      assertTrue(Files.notExists(resending), "the backlog file goes once every line is delivered");
      assertTrue(Files.notExists(spill) || Files.readAllLines(spill).isEmpty());
    } finally {
      server.stop(0);
    }
  }
}
