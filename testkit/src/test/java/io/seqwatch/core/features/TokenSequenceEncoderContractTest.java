package io.seqwatch.core.features;

import io.seqwatch.spi.SequenceEncoderProvider;
import io.seqwatch.testkit.SequenceEncoderContractTest;
import java.util.Map;

/** The tokens encoder keeps the test kit's encoder contract with its default tokens (action + gap). */
class TokenSequenceEncoderContractTest extends SequenceEncoderContractTest {
  @Override
  protected SequenceEncoderProvider provider() {
    return new TokenSequenceEncoderProvider();
  }
}

/** ... and with action-only tokens, where the vocabulary is the actions seen. */
class ActionTokenEncoderContractTest extends SequenceEncoderContractTest {
  @Override
  protected SequenceEncoderProvider provider() {
    return new TokenSequenceEncoderProvider();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("token", "action");
  }
}
