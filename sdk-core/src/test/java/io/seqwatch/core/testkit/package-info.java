/**
 * The detector contract test kit, shipped in sdk-core's test-jar: every detector module extends
 * {@link io.seqwatch.core.testkit.DetectorContractTest} once per detector name.
 */
package io.seqwatch.core.testkit;
