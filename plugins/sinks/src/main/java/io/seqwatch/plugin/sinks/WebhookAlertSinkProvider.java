package io.seqwatch.plugin.sinks;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.support.AlertJson;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code webhook}: POSTs every alert as JSON ({@link AlertJson}) to an HTTP endpoint from
 * one background thread, so {@code send} never blocks the scoring thread.
 *
 * <ul>
 *   <li>Failures (connection errors, 5xx, 429) are retried up to {@code retries} times with
 *       exponential back-off from {@code backoff-ms} (doubling, at most 30 s); a 4xx other than 429
 *       is a permanent refusal, logged and spilled.
 *   <li>The queue holds at most {@code queue} alerts; when it is full, or an alert runs out of
 *       retries, or the sink closes with alerts still queued, they are appended to the {@code spill}
 *       file (JSON lines). The next sink created with that spill file sends them first: nothing is
 *       lost across a restart. They wait in {@code <spill>.resending} until each is delivered or
 *       spilled again, so a crash during the resend sends them once more rather than losing them.
 *   <li>Each request carries the alert's id as {@code Idempotency-Key}: delivery is at least once
 *       (a resend after a crash, a stream resumed from a snapshot), and the key lets the receiver
 *       drop repeats. {@code flush()} returns once every alert sent so far is delivered or in the
 *       synced spill file.
 * </ul>
 *
 * <p>Thread-safety: stateless; the sink is safe for concurrent {@code send}.
 */
public final class WebhookAlertSinkProvider implements AlertSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAlertSinkProvider.class);

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public String description() {
    return "POSTs each alert as JSON to an HTTP endpoint: retries with back-off, bounded queue, spill to disk";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("url", "", "endpoint to POST to (http or https)"),
        OptionSpec.ofString("header", "", "one extra request header, 'Name: value' (e.g. an Authorization token)"),
        OptionSpec.ofInt("timeout-ms", 5000, "request timeout"),
        OptionSpec.ofInt("retries", 5, "retries per alert after the first attempt"),
        OptionSpec.ofInt("backoff-ms", 200, "first back-off; doubles per retry, at most 30 s"),
        OptionSpec.ofInt("queue", 10_000, "alerts queued in memory before they spill to disk"),
        OptionSpec.ofString("spill", "webhook-spill.jsonl", "file for alerts not delivered (resent on the next start)"),
        OptionSpec.ofString("hmac-key", "", "pseudonymise actor ids with HMAC-SHA256 under this key (empty: off)"));
  }

  @Override
  public AlertSink create(Options o) {
    String url = o.getString("url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("webhook sink: url '" + url + "' is not a URI", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigurationException("webhook sink needs --sink-option url=http(s)://…; got '" + url + "'");
    }
    String header = o.getString("header");
    if (!header.isEmpty() && header.indexOf(':') < 1) {
      throw new ConfigurationException("webhook sink: header must be 'Name: value', got '" + header + "'");
    }
    return new Webhook(uri, header, Duration.ofMillis(o.getInt("timeout-ms", 1, 600_000)), o.getInt("retries", 0, 100),
        o.getInt("backoff-ms", 0, 600_000), o.getInt("queue", 1, 10_000_000), Path.of(o.getString("spill")),
        new AlertJson(o.getString("hmac-key")));
  }

  /** The sink: a bounded queue drained by one sender thread. */
  static final class Webhook implements AlertSink {
    private final URI uri;
    private final String header;
    private final Duration timeout;
    private final int retries;
    private final long backoffMs;
    private final Path spill;
    private final AlertJson json;
    private final BlockingQueue<String> queue;
    private final HttpClient http;
    private final Thread sender;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    /** Posts that failed for good: refused (4xx) or out of retries. */
    private final AtomicLong failed = new AtomicLong();
    private final Object spillLock = new Object();
    /** Where a previous run's spill waits while it is resent; deleted only once every line is delivered or re-spilled. */
    private final Path resending;
    /** Backlog lines still in the queue (they are polled first). */
    private final java.util.concurrent.atomic.AtomicInteger backlog = new java.util.concurrent.atomic.AtomicInteger();
    /** Alerts sent or resent and not yet delivered or spilled. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    /** The line being posted now, if any. */
    private volatile String inFlight;
    private volatile boolean closing;
    private volatile long closeDeadline = Long.MAX_VALUE;
    private boolean closed;

    Webhook(URI uri, String header, Duration timeout, int retries, long backoffMs, int capacity, Path spill,
        AlertJson json) {
      this.uri = uri;
      this.header = header;
      this.timeout = timeout;
      this.retries = retries;
      this.backoffMs = backoffMs;
      this.spill = spill;
      this.resending = spill.resolveSibling(spill.getFileName() + ".resending");
      this.json = json;
      this.queue = new ArrayBlockingQueue<>(capacity);
      this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
      List<String> previous = takeSpilled();
      for (String line : previous) { // resend what a previous run could not deliver
        if (queue.offer(line)) {
          backlog.incrementAndGet();
          pending.incrementAndGet();
        } else {
          spill(line);
        }
      }
      if (backlog.get() == 0) {
        backlogDone();
      }
      this.sender = new Thread(this::run, "seqwatch-webhook-" + uri.getHost());
      sender.setDaemon(true);
      sender.start();
    }

    /** Alerts delivered so far. */
    long delivered() {
      return delivered.get();
    }

    /** Alerts written to the spill file so far. */
    long spilled() {
      return spilled.get();
    }

    @Override
    public java.util.Optional<io.seqwatch.spi.SinkStats> stats() {
      return java.util.Optional.of(new io.seqwatch.spi.SinkStats(delivered.get(), failed.get(), spilled.get(),
          Math.max(0, pending.get())));
    }

    @Override
    public void send(Alert a) {
      if (closing) {
        throw new IllegalStateException("webhook sink for " + uri + " is closed");
      }
      String line = json.line(a);
      pending.incrementAndGet();
      if (!queue.offer(line)) {
        spill(line);
        pending.decrementAndGet();
      }
    }

    /**
     * Waits up to the request timeout for every queued alert to be delivered; what is still queued
     * then (and the one being posted) is written to the spill file, which is synced: after flush
     * every alert sent so far is delivered or on disk. An alert spilled while its post was still
     * going may be delivered twice (its {@code Idempotency-Key} tells the receiver).
     */
    @Override
    public void flush() {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (pending.get() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      synchronized (spillLock) {
        List<String> rest = new ArrayList<>();
        queue.drainTo(rest);
        String posting = inFlight;
        if (posting != null) {
          spillLocked(posting);
        }
        for (String line : rest) {
          spillLocked(line);
          pending.decrementAndGet();
        }
        if (Files.exists(spill)) {
          try (FileChannel c = FileChannel.open(spill, StandardOpenOption.WRITE)) {
            c.force(false);
          } catch (IOException e) {
            LOG.error("webhook {}: could not sync {} ({})", uri, spill, e.toString());
          }
        }
      }
    }

    private void run() {
      while (!closing || !queue.isEmpty()) {
        String line;
        synchronized (spillLock) { // taken and marked in flight at once, so flush sees it either queued or posting
          line = queue.poll();
          inFlight = line;
        }
        if (line == null) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (line != null) {
          if (!deliver(line)) {
            spill(line);
          }
          inFlight = null;
          pending.decrementAndGet();
        }
        if (line != null && backlog.get() > 0 && backlog.decrementAndGet() == 0) {
          backlogDone();
        }
      }
    }

    /** Every backlog line is delivered or spilled again: the resending file can go. */
    private void backlogDone() {
      synchronized (spillLock) {
        try {
          Files.deleteIfExists(resending);
        } catch (IOException e) {
          LOG.warn("webhook {}: could not remove {} ({}); its alerts will be sent again on the next start", uri,
              resending, e.toString());
        }
      }
    }

    /** Posts one alert with retries; false when it could not be delivered. */
    private boolean deliver(String line) {
      long wait = backoffMs;
      for (int attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) {
          if (System.nanoTime() + wait * 1_000_000 > closeDeadline) {
            return false; // shutting down: keep it for the next start instead of waiting
          }
          try {
            Thread.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
          wait = Math.min(30_000, Math.max(1, wait * 2));
        }
        try {
          HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(line, StandardCharsets.UTF_8));
          String id = AlertJson.idIn(line);
          if (!id.isEmpty()) {
            r.header("Idempotency-Key", id);
          }
          if (!header.isEmpty()) {
            int i = header.indexOf(':');
            r.header(header.substring(0, i).trim(), header.substring(i + 1).trim());
          }
          int status = http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status / 100 == 2) {
            delivered.incrementAndGet();
            return true;
          }
          if (status / 100 == 4 && status != 429) {
            LOG.warn("webhook {} refused an alert with HTTP {}; kept in {}", uri, status, spill);
            failed.incrementAndGet();
            return false;
          }
          LOG.debug("webhook {} answered HTTP {}; retrying", uri, status);
        } catch (IOException e) {
          LOG.debug("webhook {} failed: {}; retrying", uri, e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      LOG.warn("webhook {}: an alert failed {} attempts; kept in {}", uri, retries + 1, spill);
      failed.incrementAndGet();
      return false;
    }

    private void spill(String line) {
      synchronized (spillLock) {
        spillLocked(line);
      }
    }

    private void spillLocked(String line) {
      try {
        Path parent = spill.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(spill, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        spilled.incrementAndGet();
      } catch (IOException e) {
        LOG.error("webhook {}: could not spill an alert to {} ({}); alert: {}", uri, spill, e, line);
      }
    }

    private List<String> takeSpilled() {
      synchronized (spillLock) {
        return takeSpilledLocked();
      }
    }

    /**
     * The previous runs' undelivered alerts. The spill file is first moved (or, when an earlier
     * resend was interrupted, appended) to the resending file, which stays on disk until every
     * line is delivered or spilled again: a crash meanwhile resends them on the next start
     * (at least once) instead of losing them.
     */
    private List<String> takeSpilledLocked() {
      try {
        if (Files.isRegularFile(spill)) {
          if (Files.isRegularFile(resending)) {
            byte[] more = Files.readAllBytes(spill);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(resending,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
              java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(more);
              while (b.hasRemaining()) {
                ch.write(b);
              }
              ch.force(true);
            }
            Files.delete(spill);
          } else {
            Files.move(spill, resending, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          }
        }
        if (!Files.isRegularFile(resending)) {
          return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(resending, StandardCharsets.UTF_8)) {
          if (!l.isBlank()) {
            lines.add(l);
          }
        }
        if (!lines.isEmpty()) {
          LOG.info("webhook {}: resending {} alert(s) spilled to {}", uri, lines.size(), spill);
        }
        return lines;
      } catch (IOException e) {
        throw new ConfigurationException("webhook sink: cannot read spill file " + spill + ": " + e.getMessage(), e);
      }
    }

    /**
     * Delivers what is queued, retrying until twice the request timeout plus a second has passed,
     * then spills the rest.
     */
    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      long budget = timeout.toMillis() * 2 + 1000;
      closeDeadline = System.nanoTime() + budget * 1_000_000;
      closing = true;
      try {
        sender.join(budget + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sender.interrupt();
      List<String> rest = new ArrayList<>();
      queue.drainTo(rest);
      rest.forEach(this::spill);
      if (!sender.isAlive() && backlog.get() > 0) { // the backlog's remainder is in the spill file now
        backlog.set(0);
        backlogDone();
      }
    }
  }
}
