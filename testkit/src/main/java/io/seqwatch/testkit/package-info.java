/**
 * The contract test kit ({@code io.seqwatch:seqwatch-testkit}, test scope): every detector module
 * extends {@link io.seqwatch.testkit.DetectorContractTest} once per detector name, and threshold
 * policies, alert sinks and sequence encoders have their contracts too; shared test data
 * ({@link io.seqwatch.testkit.SharedData}, {@link io.seqwatch.testkit.MultimodalEvents}) and in-memory bundle files
 * ({@link io.seqwatch.testkit.MemoryArtifacts}).
 */
package io.seqwatch.testkit;
