package io.seqwatch.core.sink;

import io.seqwatch.spi.support.AlertJson;
import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider {@code log}: writes each alert as one WARN line to the SLF4J logger {@code seqwatch.alerts}
 * (or the logger named by option {@code logger}).
 *
 * <p>Thread-safety: stateless; the sink is safe for concurrent {@code send}.
 */
public final class LogAlertSinkProvider implements AlertSinkProvider {
  @Override
  public String name() {
    return "log";
  }

  @Override
  public String description() {
    return "one WARN log line per alert through SLF4J";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.ofString("logger", "seqwatch.alerts", "SLF4J logger name"),
        OptionSpec.ofString("hmac-key", "", "pseudonymise actor ids (and alert ids) with HMAC-SHA256 under this key"));
  }

  @Override
  public AlertSink create(Options o) {
    Logger log = LoggerFactory.getLogger(o.getString("logger"));
    AlertJson json = new AlertJson(o.getString("hmac-key"));
    return a -> log.warn(String.format(Locale.ROOT, "anomaly %s id=%s score=%.4f threshold=%.4f detector=%s reasons=%s",
        json.key(a.key()), json.id(a), a.score(), a.threshold(), a.detector(), a.explanation().summary()));
  }
}
