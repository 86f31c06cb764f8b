/**
 * Benchmark commands: {@link io.seqwatch.bench.ClassicalPeerBenchmark} times Seqwatch's classical
 * detectors against scikit-learn's on identical data in one run. Run {@code samples/bench/run.sh}.
 */
package io.seqwatch.bench;
