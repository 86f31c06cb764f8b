package io.seqwatch.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.inject.Injector;
import io.seqwatch.core.registry.Registries;
import io.seqwatch.testkit.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default threshold on real shop logs with 5 % injected attackers, trained unlabelled (the
 * attackers are in the training data, as in a risk team's own traffic): the detector's own default
 * policy catches most attackers at a false-alarm rate near its nominal risk, where a tail fitted to
 * all training scores would sit inside the attackers and catch about a fifth of them.
 */
class ShopDefaultThresholdTest {
  @ParameterizedTest
  @CsvSource({"isolation-forest,rees46,rees46/events_oct_sample.csv", "isolation-forest,diginetica,diginetica/item_views_sample.csv",
      "ensemble,rees46,rees46/events_oct_sample.csv", "ensemble,diginetica,diginetica/item_views_sample.csv"})
  void defaultThresholdCatchesMostInjectedAttackersAtAFewPercentFalseAlarms(String detector, String format, String path)
      throws Exception {
    Optional<Path> file = SharedData.file(path);
    assumeTrue(file.isPresent(), "../shared/data is absent; skipping the real-log threshold check");
    List<BehaviorEvent> real = QualityBenchmark.read(format, file.get());
    Injector.Injected inj = Injector.builder().rate(0.05).seed(1).build().inject(real);
    List<BehaviorEvent> log = inj.merged(real);
    QualityBenchmark.Result r = QualityBenchmark.measure(
        QualityBenchmark.run(Registries.discover(), detector, log, log, inj.labels(), false, 1));
    assertTrue(r.recall() >= 0.7, detector + " on " + format + ": recall at the default threshold " + r.recall());
    assertTrue(r.fpr() <= 0.05, detector + " on " + format + ": false-positive rate at the default threshold " + r.fpr());
  }
}
