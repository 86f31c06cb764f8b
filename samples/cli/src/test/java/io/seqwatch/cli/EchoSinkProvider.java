package io.seqwatch.cli;

import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.AlertSinkProvider;
import io.seqwatch.spi.OptionSpec;
import io.seqwatch.spi.Options;
import java.util.List;

/**
 * Test sink {@code test-echo}, deliberately not registered on the test class path: only the plugin
 * jar {@link PluginPathTest} writes names it in {@code META-INF/services}.
 *
 * <p>Thread-safety: stateless.
 */
public final class EchoSinkProvider implements AlertSinkProvider {
  @Override
  public String name() {
    return "test-echo";
  }

  @Override
  public String description() {
    return "drops alerts (tests of --plugins)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public AlertSink create(Options options) {
    return alert -> { };
  }
}
