package io.seqwatch.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.Contribution;
import io.seqwatch.api.Explanation;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The contract every alert sink keeps: each alert sent arrives once, in order, once {@code flush}
 * returns (where the test can see what arrived); its counts (when it keeps them) say so - every alert
 * delivered, none failed, nothing queued after a flush; {@code close} may be called twice; a closed
 * sink refuses alerts with an {@link IllegalStateException} rather than dropping them silently.
 * Extend it once per sink:
 *
 * <pre>{@code
 * class JsonlSinkContractTest extends AlertSinkContractTest {
 *   protected AlertSink create(Path dir) { ... path = dir/alerts.jsonl ... }
 *   protected Optional<List<String>> delivered(Path dir) { ... the keys in dir/alerts.jsonl ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: a test class; one property at a time.
 */
public abstract class AlertSinkContractTest {
  /** A new sink delivering under {@code dir} (a fresh folder per call). */
  protected abstract AlertSink create(Path dir) throws Exception;

  /**
   * The keys of the alerts that arrived so far, in arrival order; empty when the test cannot see
   * deliveries (a log).
   */
  protected abstract Optional<List<String>> delivered(Path dir) throws Exception;

  /** Whether a closed sink refuses alerts (a stateless one, such as a log, may not). */
  protected boolean refusesAfterClose() {
    return true;
  }

  /** An alert for {@code key} with two reasons. */
  protected static Alert alert(String key, int i) {
    return new Alert(key, "contract", 0.9 + i * 1e-3, 0.5, new Explanation(List.of(
        new Contribution("events_per_hour", 120, 60, 0.7, "events_per_hour 120 is 2x the training median"),
        new Contribution("fast_gap_share", 1, 0, 0.3, "fast_gap_share 1 above the training median 0"))),
        Instant.ofEpochSecond(1_511_600_000L + i));
  }

  @Property(tries = 8)
  void everyAlertArrivesOnceInOrderAndTheCountsSaySo(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed)
      throws Exception {
    Path dir = Files.createTempDirectory("seqwatch-sink-contract");
    Random r = new Random(seed);
    List<String> keys = new ArrayList<>();
    try (AlertSink sink = create(dir)) {
      for (int i = 0; i < n; i++) {
        String key = "actor-" + r.nextInt(20) + (r.nextInt(10) == 0 ? "-ü\"quoted\"" : "");
        keys.add(key);
        sink.send(alert(key, i));
      }
      sink.flush();
      Optional<SinkStats> stats = sink.stats();
      if (stats.isPresent()) {
        assertEquals(new SinkStats(n, 0, 0, 0), stats.get(), "after flush: all delivered, nothing queued");
      }
      Optional<List<String>> arrived = delivered(dir);
      arrived.ifPresent(a -> assertEquals(keys, a, "each alert once, in order"));
    }
  }

  @Test
  void closeTwiceIsFineAndAClosedSinkRefusesAlerts() throws Exception {
    Path dir = Files.createTempDirectory("seqwatch-sink-contract");
    AlertSink sink = create(dir);
    sink.send(alert("a", 0));
    sink.close();
    assertDoesNotThrow(sink::close);
    if (refusesAfterClose()) {
      assertThrows(IllegalStateException.class, () -> sink.send(alert("b", 1)));
    }
    delivered(dir).ifPresent(a -> assertEquals(List.of("a"), a, "close delivers what was sent"));
  }
}
