/**
 * The detector contract test kit, shipped in sdk-core's test-jar: every detector module extends
 * {@link io.seqwatch.core.testkit.DetectorContractTest} once per detector name; shared test data
 * ({@link io.seqwatch.core.testkit.SharedData}, {@link io.seqwatch.core.testkit.MultimodalEvents}) and in-memory bundle files
 * ({@link io.seqwatch.core.testkit.MemoryArtifacts}).
 */
package io.seqwatch.core.testkit;
