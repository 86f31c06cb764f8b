package io.seqwatch.core.sink;

import io.seqwatch.spi.AlertSink;
import io.seqwatch.spi.Options;
import io.seqwatch.testkit.AlertSinkContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The log sink runs the test kit's sink contract; what it logs is not read back, and it holds no state to close. */
class LogSinkContractTest extends AlertSinkContractTest {
  @Override
  protected AlertSink create(Path dir) {
    LogAlertSinkProvider p = new LogAlertSinkProvider();
    return p.create(Options.of(p.options(), Map.of()));
  }

  @Override
  protected Optional<List<String>> delivered(Path dir) {
    return Optional.empty();
  }

  @Override
  protected boolean refusesAfterClose() {
    return false;
  }
}
