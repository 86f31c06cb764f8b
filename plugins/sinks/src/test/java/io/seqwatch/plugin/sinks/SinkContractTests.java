package io.seqwatch.plugin.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.Options;
import io.seqwatch.testkit.AlertSinkContractTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;

/** The jsonl and webhook sinks run the test kit's sink contract (one class per sink below). */
final class SinkContractTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SinkContractTests() {}

  static AlertSink create(AlertSinkProvider p, Map<String, String> options) {
    return p.create(Options.of(p.options(), options));
  }

  /** The alert keys in JSON lines, in order. */
  static List<String> keys(List<String> lines) throws IOException {
    List<String> keys = new ArrayList<>();
    for (String l : lines) {
      keys.add(JSON.readTree(l).get("key").asText());
    }
    return keys;
  }
}

class JsonlSinkContractTest extends AlertSinkContractTest {
  @Override
  protected AlertSink create(Path dir) {
    return SinkContractTests.create(new JsonlAlertSinkProvider(), Map.of("path", dir.resolve("alerts.jsonl").toString()));
  }

  @Override
  protected Optional<List<String>> delivered(Path dir) throws IOException {
    Path f = dir.resolve("alerts.jsonl");
    return Optional.of(Files.exists(f) ? SinkContractTests.keys(Files.readAllLines(f)) : List.of());
  }
}

/** Each sink posts to its own local endpoint, which keeps the bodies it received. */
class WebhookSinkContractTest extends AlertSinkContractTest {
  private static final Map<Path, HttpServer> SERVERS = new ConcurrentHashMap<>();
  private static final Map<Path, ConcurrentLinkedQueue<String>> RECEIVED = new ConcurrentHashMap<>();

  @Override
  protected AlertSink create(Path dir) throws IOException {
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/alerts", x -> {
      received.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    SERVERS.put(dir, server);
    RECEIVED.put(dir, received);
    return SinkContractTests.create(new WebhookAlertSinkProvider(), Map.of(
        "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts",
        "spill", dir.resolve("spill.jsonl").toString()));
  }

  @Override
  protected Optional<List<String>> delivered(Path dir) throws IOException {
    return Optional.of(SinkContractTests.keys(new ArrayList<>(RECEIVED.get(dir))));
  }

  @AfterAll
  static void stopServers() {
    SERVERS.values().forEach(s -> s.stop(0));
  }
}
