/**
 * A seeded simulator of Taobao-format behaviour logs with labelled anomalous users of several kinds,
 * for the demo, tests and benchmarks.
 */
package io.seqwatch.core.sim;
