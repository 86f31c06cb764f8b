/**
 * The detector contract test kit, shipped in sdk-core's test-jar: every detector module extends
 * {@link io.seqwatch.core.testkit.DetectorContractTest} once per detector name; shared test data
 * ({@link io.seqwatch.core.testkit.SharedData}, {@link io.seqwatch.core.testkit.MultimodalEvents}).
 */
package io.seqwatch.core.testkit;
