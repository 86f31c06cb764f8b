package io.seqwatch.plugin.sinks;

import io.seqwatch.api.ConfigurationException;
import io.seqwatch.spi.Alert;
import io.seqwatch.spi.AlertJson;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Provider {@code jsonl}: appends every alert as one JSON line ({@link AlertJson}) to a file,
 * flushed per alert so that a crash loses nothing that {@code send} returned from.
 *
 * <p>Thread-safety: stateless; the sink is safe for concurrent {@code send}.
 */
public final class JsonlAlertSinkProvider implements AlertSinkProvider {
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
        OptionSpec.ofString("hmac-key", "", "pseudonymise actor ids with HMAC-SHA256 under this key (empty: off)"));
  }

  @Override
  public AlertSink create(Options o) {
    Path path = Path.of(o.getString("path"));
    AlertJson json = new AlertJson(o.getString("hmac-key"));
    BufferedWriter out;
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new ConfigurationException("jsonl sink: cannot open " + path + ": " + e.getMessage(), e);
    }
    return new AlertSink() {
      private boolean closed;

      @Override
      public synchronized void send(Alert a) {
        if (closed) {
          throw new IllegalStateException("jsonl sink " + path + " is closed");
        }
        try {
          out.write(json.line(a));
          out.newLine();
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException("jsonl sink: cannot write to " + path, e);
        }
      }

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          try {
            out.close();
          } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(JsonlAlertSinkProvider.class).warn("closing {} failed: {}", path, e.toString());
          }
        }
      }
    };
  }
}
