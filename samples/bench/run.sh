#!/usr/bin/env bash
# Side-by-side benchmarks on identical data, in one run each:
#   samples/bench/run.sh [users=20000] [rounds=5]    classical detectors vs scikit-learn 1.9 (pip) and Debian's
#   samples/bench/run.sh neural [epochs=3] [rounds=3] lstm (DJL PyTorch) vs the same LSTM in PyTorch 2.13 and Debian's
#   samples/bench/run.sh engines [epochs=2]          one gru scored by engine-djl and, exported, by engine-onnx
#   samples/bench/run.sh stream [users] [actors]     streaming events/s, latency and memory per actor
#   samples/bench/run.sh quality [detectors|all] [seeds] [rates]
#                                                    detection quality with defaults on real logs with injected
#                                                    attacks and HDFS (README "Quality on real data");
#                                                    SEQWATCH_BENCH_OPTS passes -Dseqwatch.bench.threshold=..., .dump=DIR,
#                                                    .options=k=v,..., .only=hdfs,taobao or .signals=true (device, ip and
#                                                    user-agent attributes injected too), .group-by=gap:30m (per-actor
#                                                    results), .kinds=account_takeover, .only=taobao-43 (43 users, weeks
#                                                    of history each), .lengths=log (attackers as long as people's
#                                                    sequences); scikit-learn peers run in a venv
#   samples/bench/run.sh pretraining [seeds] [labels]  masked-transformer encoder pretrained on each shop log's pool:
#                                                    few-label curve (transformer-classifier vs classifier) and
#                                                    transfer from Taobao (README "Pretrained behaviour model")
#   samples/bench/run.sh quantisation [rounds] [size]  masked-transformer scored by DJL, ONNX float32 and ONNX int8:
#                                                    speed-up, rank correlation, decision agreement (README);
#                                                    SEQWATCH_BENCH_OPTS=-Dseqwatch.bench.only=taobao,rees46 for some logs
#   samples/bench/run.sh odds [splits]               PyOD's protocol on the ODDS tables, next to PyOD's figures
#   samples/bench/run.sh odds-spread [table.csv]     how much a 10-split mean moves with the splits (scikit-learn)
#   samples/bench/run.sh scale [sizes] [detectors]   train and score the real Taobao slice repeated to each size:
#                                                    seconds, events/s, peak RSS, bytes per event (scale.sh)
#   samples/bench/run.sh ingest [rows] [rounds]      events/s of reading, cleaning, grouping and features, one core
#   samples/bench/run.sh threads [detector] [users] [threads] [runs]
#                                                    fit + batch score on 1 and N threads, alternating, medians
# Needs Debian's python3-sklearn / python3-torch (installed here when missing); runs from any directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
(cd "$ROOT" && mvn -q -B -DskipTests -pl samples/bench -am install)
CP="samples/bench/target/seqwatch-bench-0.1.0-SNAPSHOT.jar:samples/bench/target/lib/*"
if [ "${1:-}" = stream ]; then
  export OMP_NUM_THREADS=1 OPT_OUT_TRACKING=true
  cd "$ROOT"
  exec java -Xmx4g -Dai.djl.offline=true -cp "$CP" io.seqwatch.bench.StreamBenchmark "${2:-20000}" "${3:-1000000}"
fi
# The Python a user would pick today for the scikit-learn peers: a venv with the current scikit-learn from the
# machine's pip index (pip config), else Debian's python3-sklearn.
peer_python() {
  local venv="$ROOT/samples/bench/target/venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sklearn' 2>/dev/null; then
    if python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q scikit-learn >/dev/null 2>&1; then
      :
    else
      /usr/bin/python3 -c 'import sklearn' 2>/dev/null || apt-get install -y -qq python3-sklearn >/dev/null
      echo /usr/bin/python3
      return
    fi
  fi
  echo "$venv/bin/python"
}
if [ "${1:-}" = quality ]; then
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OPT_OUT_TRACKING=true
  cd "$ROOT"
  PEER_PY=/usr/bin/python3
  case "${2:-all}" in all|*sklearn-*) PEER_PY="$(peer_python)" ;; esac
  # SEQWATCH_BENCH_OPTS: e.g. -Dseqwatch.bench.threshold=evt:0.01 (another policy), -Dseqwatch.bench.dump=DIR,
  # -Dseqwatch.bench.options=aggregate=mean (options for every detector), -Dseqwatch.bench.only=hdfs (datasets)
  # shellcheck disable=SC2086
  exec java -Xmx6g -Dai.djl.offline=true -Dseqwatch.bench.python="$PEER_PY" ${SEQWATCH_BENCH_OPTS:-} -cp "$CP" \
    io.seqwatch.bench.QualityBenchmark "${2:-all}" "${3:-1,2,3}" \
    "${4:-0.01,0.05,0.1}" ../shared/data
fi
if [ "${1:-}" = threads ]; then
  cd "$ROOT"
  exec java -Xmx6g -cp "$CP" io.seqwatch.bench.ThreadsBenchmark "${2:-isolation-forest}" "${3:-40000}" "${4:-2}" "${5:-3}"
fi
if [ "${1:-}" = pretraining ]; then
  cd "$ROOT"
  exec java -Xmx6g -Dai.djl.offline=true ${SEQWATCH_BENCH_OPTS:-} -cp "$CP" io.seqwatch.bench.PretrainingBenchmark \
    "${2:-1}" "${3:-10,50,200,1000}" ../shared/data
fi
if [ "${1:-}" = quantisation ]; then
  cd "$ROOT"
  exec java -Xmx6g -Dai.djl.offline=true ${SEQWATCH_BENCH_OPTS:-} -cp "$CP" io.seqwatch.bench.QuantisationBenchmark \
    "${2:-5}" "${3:-small}" ../shared/data
fi
if [ "${1:-}" = odds ]; then
  cd "$ROOT"
  exec java -cp "$CP" io.seqwatch.bench.OddsBenchmark ../shared/data/odds "${2:-10}"
fi
if [ "${1:-}" = scale ]; then
  (cd "$ROOT" && mvn -q -B -DskipTests -pl samples/cli -am install)
  exec "$ROOT/samples/bench/scale.sh" "${2:-100000,1000000,3000000}" "${3:-isolation-forest,markov}"
fi
if [ "${1:-}" = ingest ]; then
  cd "$ROOT"
  ROWS="${2:-2000000}"
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  # the real Taobao slice repeated with shifted actor ids (as scale.sh), without its truncated last line
  head -n -1 ../shared/data/taobao/user_behavior_2h.csv > "$WORK/slice.csv"
  awk -F, -v n="$ROWS" -v rows="$(wc -l < "$WORK/slice.csv")" '{ line[NR] = $0 }
    END { for (i = 0; i < n; i++) { r = i % rows + 1; k = int(i / rows); split(line[r], f, ",");
          printf "%d%09d,%s,%s,%s,%s\n", k + 1, f[1], f[2], f[3], f[4], f[5] } }' "$WORK/slice.csv" > "$WORK/events.csv"
  # one core: the GC too
  java -Xms6g -Xmx6g -XX:+UseSerialGC -cp "$CP" io.seqwatch.bench.IngestBenchmark "$WORK/events.csv" "${3:-5}"
  exit
fi
if [ "${1:-}" = odds-spread ]; then
  cd "$ROOT"
  exec "$(peer_python)" samples/bench/python/odds_split_spread.py "${2:-../shared/data/odds/letter.csv}"
fi
if [ "${1:-}" = engines ]; then
  export OMP_NUM_THREADS=1 OPT_OUT_TRACKING=true
  cd "$ROOT"
  exec java -Dai.djl.offline=true -cp "$CP" io.seqwatch.bench.EngineBenchmark \
    ../shared/data/hdfs/hdfs_train ../shared/data/hdfs/hdfs_valid_labelled.csv "${2:-2}"
fi
if [ "${1:-}" = neural ]; then
  if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "installing python3-torch (Debian) for the peer side..." >&2
    apt-get install -y -qq python3-torch >/dev/null
  fi
  export OMP_NUM_THREADS=1 OPT_OUT_TRACKING=true
  cd "$ROOT"
  # the current PyTorch (the machine's wheel folder, in the bench venv) and Debian's, alternating with Seqwatch
  PEERS=/usr/bin/python3
  VENV="$ROOT/samples/bench/target/venv"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >/dev/null 2>&1 || true
  if [ -x "$VENV/bin/python" ] && { "$VENV/bin/python" -c 'import torch' 2>/dev/null \
      || "$VENV/bin/pip" install -q torch >/dev/null 2>&1; }; then
    PEERS="$VENV/bin/python,/usr/bin/python3"
  fi
  exec java -Dai.djl.offline=true -cp "$CP" io.seqwatch.bench.NeuralPeerBenchmark \
    ../shared/data/hdfs/hdfs_train "${2:-3}" "$PEERS" "${3:-3}"
fi
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
  echo "installing python3-sklearn (Debian) for the peer side..." >&2
  apt-get install -y -qq python3-sklearn >/dev/null
fi
# one thread each side: OpenBLAS / OpenMP on the Python side, the JVM is single-threaded here
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
cd "$ROOT"
# the current scikit-learn (venv from the pip index) and Debian's, alternating with Seqwatch in one run
PEERS="$(peer_python)"
[ "$PEERS" = /usr/bin/python3 ] || PEERS="$PEERS,/usr/bin/python3"
exec java -cp "$CP" io.seqwatch.bench.ClassicalPeerBenchmark "${1:-20000}" "${2:-5}" "$PEERS"
