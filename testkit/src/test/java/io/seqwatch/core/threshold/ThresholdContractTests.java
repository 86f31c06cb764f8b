package io.seqwatch.core.threshold;

import io.seqwatch.spi.ThresholdPolicyProvider;
import io.seqwatch.testkit.ThresholdPolicyContractTest;
import java.util.Map;

/** Every built-in threshold policy runs the test kit's contract (one class per policy below). */
final class ThresholdContractTests {
  private ThresholdContractTests() {}
}

class FixedThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new FixedThresholdProvider();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("value", "1.5");
  }
}

class QuantileThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new QuantileThresholdProvider();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("q", "0.95");
  }
}

class ContaminationThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new ContaminationThresholdProvider();
  }
}

class MadThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new MadThresholdProvider();
  }
}

class EvtThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new EvtThresholdProvider();
  }
}

class AlertRateThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new AlertRateThresholdProvider();
  }
}

class StreamingQuantileThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new StreamingQuantileThresholdProvider();
  }

  /** A one-pass estimate: the training scores are fed in order, as the stream's later are. */
  @Override
  protected boolean orderFree() {
    return false;
  }
}

class PerSegmentThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new PerSegmentThresholdProvider();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("min-count", "10");
  }
}

class MaxF1ThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new MaxF1ThresholdProvider();
  }

  @Override
  protected boolean needsLabels() {
    return true;
  }
}

class TargetFprThresholdContractTest extends ThresholdPolicyContractTest {
  @Override
  protected ThresholdPolicyProvider provider() {
    return new TargetFprThresholdProvider();
  }

  @Override
  protected boolean needsLabels() {
    return true;
  }
}
