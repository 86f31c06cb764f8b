package io.seqwatch.plugin.sinks;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.support.AlertJson;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code jsonl}: appends every alert as one JSON line ({@link AlertJson}) to a file.
 *
 * <p>Durability: each alert's line is written whole, with one write; if the write fails (a full
 * disk) the file is cut back to where the line began, so the file never holds a torn line, and
 * {@code send} throws. A torn last line left by a crash of an older writer is cut off (and
 * logged) when the sink opens the file. What {@code send} wrote is in the operating system's cache
 * at once; it is synced to storage on {@link AlertSink#flush()} (which streaming calls before every
 * snapshot) and on close, or after every alert with {@code fsync=every}.
 *
 * <p>Thread-safety: stateless; the sink is safe for concurrent {@code send}.
 */
public final class JsonlAlertSinkProvider implements AlertSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(JsonlAlertSinkProvider.class);

  @Override
  public String name() {
    return "jsonl";
  }

  @Override
  public String description() {
    return "appends each alert as one JSON line to a file";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.ofString("path", "alerts.jsonl", "file to append to"),
        OptionSpec.ofString("hmac-key", "", "pseudonymise actor ids with HMAC-SHA256 under this key (empty: off)"),
        OptionSpec.ofString("fsync", "flush", "when to sync the file to storage: flush (on flush and close) or every "
            + "(after each alert)"));
  }

  @Override
  public AlertSink create(Options o) {
    Path path = Path.of(o.getString("path"));
    AlertJson json = new AlertJson(o.getString("hmac-key"));
    String fsync = o.getString("fsync");
    if (!fsync.equals("flush") && !fsync.equals("every")) {
      throw new ConfigurationException("jsonl sink: fsync must be flush or every, not '" + fsync + "'");
    }
    boolean every = fsync.equals("every");
    FileChannel out;
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      cutTornLine(out, path);
      out.position(out.size());
    } catch (IOException e) {
      throw new ConfigurationException("jsonl sink: cannot open " + path + ": " + e.getMessage(), e);
    }
    java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong failedWrites = new java.util.concurrent.atomic.AtomicLong();
    return new AlertSink() {
      private boolean closed;

      @Override
      public java.util.Optional<io.seqwatch.spi.SinkStats> stats() { // lock-free: counters only
        return java.util.Optional.of(new io.seqwatch.spi.SinkStats(written.get(), failedWrites.get(), 0, 0));
      }

      @Override
      public synchronized void send(Alert a) {
        if (closed) {
          throw new IllegalStateException("jsonl sink " + path + " is closed");
        }
        ByteBuffer line = ByteBuffer.wrap((json.line(a) + "\n").getBytes(StandardCharsets.UTF_8));
        long start;
        try {
          start = out.position();
        } catch (IOException e) {
          throw new UncheckedIOException("jsonl sink: cannot write to " + path, e);
        }
        try {
          while (line.hasRemaining()) {
            out.write(line);
          }
          if (every) {
            out.force(false);
          }
          written.incrementAndGet();
        } catch (IOException e) {
          failedWrites.incrementAndGet();
          try {
            out.truncate(start);
            out.position(start);
          } catch (IOException cut) {
            e.addSuppressed(cut);
          }
          throw new UncheckedIOException("jsonl sink: cannot write alert " + a.id() + " to " + path + " (the file "
              + "keeps only whole lines): " + e.getMessage(), e);
        }
      }

      @Override
      public synchronized void flush() {
        if (!closed) {
          try {
            out.force(false);
          } catch (IOException e) {
            throw new UncheckedIOException("jsonl sink: cannot sync " + path, e);
          }
        }
      }

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          try {
            out.force(false);
            out.close();
          } catch (IOException e) {
            LOG.warn("closing {} failed: {}", path, e.toString());
          }
        }
      }
    };
  }

  /** Cuts a last line without its line break (a crashed writer's torn alert) off the file. */
  private static void cutTornLine(FileChannel out, Path path) throws IOException {
    long size = out.size();
    if (size == 0 || last(out, size - 1) == '\n') {
      return;
    }
    long end = size - 1;
    while (end > 0 && last(out, end - 1) != '\n') {
      end--;
    }
    LOG.warn("{} ended in a torn line of {} bytes (a crash during a write); cut it off", path, size - end);
    out.truncate(end);
  }

  private static byte last(FileChannel out, long at) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    out.read(one, at);
    return one.get(0);
  }
}
