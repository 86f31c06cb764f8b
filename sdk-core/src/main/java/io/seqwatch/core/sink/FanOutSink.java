package io.seqwatch.core.sink;

import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.SinkStats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One sink that sends every alert to several: a file for the record and a webhook or Kafka topic
 * for the platform, say. {@link #flush} flushes every member (so a snapshot taken next claims
 * nothing any member could still lose), {@link #close} closes all of them even when one fails
 * (the first failure is thrown, the others suppressed), {@link #stats} sums what the members report.
 *
 * <p>Thread-safety: as safe as its members (the built-in sinks accept concurrent sends).
 */
public final class FanOutSink implements AlertSink {
  private final List<AlertSink> members;

  private FanOutSink(List<AlertSink> members) {
    this.members = List.copyOf(members);
  }

  /** The one sink for {@code members}; a single member is returned as it is. */
  public static AlertSink of(List<AlertSink> members) {
    Objects.requireNonNull(members, "members");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a fan-out needs at least one sink");
    }
    return members.size() == 1 ? members.get(0) : new FanOutSink(members);
  }

  @Override
  public void send(Alert alert) {
    for (AlertSink s : members) {
      s.send(alert);
    }
  }

  @Override
  public void flush() {
    for (AlertSink s : members) {
      s.flush();
    }
  }

  @Override
  public Optional<SinkStats> stats() {
    long delivered = 0;
    long failed = 0;
    long spilled = 0;
    long queued = 0;
    boolean any = false;
    for (AlertSink s : members) {
      Optional<SinkStats> st = s.stats();
      if (st.isPresent()) {
        any = true;
        delivered += st.get().delivered();
        failed += st.get().failed();
        spilled += st.get().spilled();
        queued += st.get().queued();
      }
    }
    return any ? Optional.of(new SinkStats(delivered, failed, spilled, queued)) : Optional.empty();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (int i = members.size() - 1; i >= 0; i--) { // the reverse of opening
      try {
        members.get(i).close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
