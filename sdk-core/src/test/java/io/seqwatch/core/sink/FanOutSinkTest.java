package io.seqwatch.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.Explanation;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.SinkStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FanOutSinkTest {
  /** A member that records what it was asked to do. */
  private static final class Recording implements AlertSink {
    final List<String> calls = new ArrayList<>();
    final boolean failOnClose;
    final Optional<SinkStats> stats;

    Recording(boolean failOnClose, Optional<SinkStats> stats) {
      this.failOnClose = failOnClose;
      this.stats = stats;
    }

    @Override
    public void send(Alert alert) {
      calls.add("send " + alert.key());
    }

    @Override
    public void flush() {
      calls.add("flush");
    }

    @Override
    public Optional<SinkStats> stats() {
      return stats;
    }

    @Override
    public void close() {
      calls.add("close");
      if (failOnClose) {
        throw new IllegalStateException("cannot close");
      }
    }
  }

  @Test
  void everyMemberGetsEveryAlertEveryFlushAndACloseEvenWhenOneFails() {
    Recording a = new Recording(true, Optional.of(new SinkStats(3, 1, 0, 2)));
    Recording b = new Recording(false, Optional.empty());
    Recording c = new Recording(false, Optional.of(new SinkStats(4, 0, 5, 0)));
    AlertSink all = FanOutSink.of(List.of(a, b, c));
    all.send(new Alert("u1", "zscore", 2, 1, new Explanation(List.of()), Instant.EPOCH));
    all.flush();
    assertEquals(Optional.of(new SinkStats(7, 1, 5, 2)), all.stats());
    IllegalStateException e = assertThrows(IllegalStateException.class, all::close);
    assertEquals("cannot close", e.getMessage());
    for (Recording r : List.of(a, b, c)) {
      assertEquals(List.of("send u1", "flush", "close"), r.calls);
    }
    assertSame(a, FanOutSink.of(List.of(a)));
  }
}
