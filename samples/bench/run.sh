#!/usr/bin/env bash
# Side-by-side benchmark of Seqwatch's classical detectors and scikit-learn's, on identical data.
# Usage: samples/bench/run.sh [users=20000] [repeats=3]
# Needs Debian's python3-sklearn (apt-get install python3-sklearn); runs from any directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
  echo "installing python3-sklearn (Debian) for the peer side..." >&2
  apt-get install -y -qq python3-sklearn >/dev/null
fi
(cd "$ROOT" && mvn -q -B -DskipTests -pl samples/bench -am install)
# one thread each side: OpenBLAS / OpenMP on the Python side, the JVM is single-threaded here
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
cd "$ROOT"
exec java -cp "samples/bench/target/seqwatch-bench-0.1.0-SNAPSHOT.jar:samples/bench/target/lib/*" \
  io.seqwatch.bench.ClassicalPeerBenchmark "${1:-20000}" "${2:-3}" /usr/bin/python3
