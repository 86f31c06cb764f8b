#!/usr/bin/env bash
# The cost curve: Taobao's real 2-hour slice repeated with shifted actor ids to each size, then
# `seqwatch train` and `seqwatch score` per detector in their own JVMs (the CLI's default heap, or
# SEQWATCH_JAVA_OPTS), timed with /usr/bin/time: wall seconds, events/s, peak resident memory and
# resident bytes per event (the JVM grows its heap before it collects, so resident memory overstates
# what is kept: RetainedHeapBenchmark measures the heap retained per event after reading and grouping).
# A run that ends in an out-of-memory shows its exit code (3) instead.
# Usage: samples/bench/scale.sh [sizes] [detectors]   (sizes in events, comma separated); SCALE_TRAIN_OPTS
# adds train options (e.g. "--sample 0.25"). The detector name `pretrain` runs `seqwatch pretrain`
# instead (masked-transformer encoder on a seeded sample of actors, SCALE_PRETRAIN_SAMPLE, default
# 0.05, one epoch), then the same command with two epochs, which resumes from the first's checkpoint.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
SIZES="${1:-100000,1000000,3000000}"
DETECTORS="${2:-isolation-forest,markov}"
SLICE="$ROOT/../shared/data/taobao/user_behavior_2h.csv"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# the slice without its truncated last line
head -n -1 "$SLICE" > "$WORK/slice.csv"
ROWS=$(wc -l < "$WORK/slice.csv")
# the launcher builds the CLI when any source is newer than its jar (an install that left the jar
# unchanged does not touch it): build now, so that no build is timed inside the first step
"$ROOT/seqwatch" --version > /dev/null
echo "Taobao 2-hour slice ($ROWS rows) repeated with shifted actor ids; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %10s %-6s %8s %12s %12s %14s %5s\n' detector events step seconds "events/s" "peak RSS MB" "RSS bytes/event" exit
for size in ${SIZES//,/ }; do
  awk -F, -v OFS=, -v n="$size" -v rows="$ROWS" 'BEGIN { k = 0 }
    { line[NR] = $0 }
    END { for (i = 0; i < n; i++) { r = i % rows + 1; k = int(i / rows); split(line[r], f, ",");
          printf "%d%09d,%s,%s,%s,%s\n", k + 1, f[1], f[2], f[3], f[4], f[5] } }' "$WORK/slice.csv" \
    > "$WORK/events.csv"
  java -Xmx8g -cp "$ROOT/samples/bench/target/seqwatch-bench-0.1.0-SNAPSHOT.jar:$ROOT/samples/bench/target/lib/*" \
    io.seqwatch.bench.RetainedHeapBenchmark taobao "$WORK/events.csv" | sed "s|$WORK/events.csv|$size events|"
  for d in ${DETECTORS//,/ }; do
    steps="train score"
    [ "$d" = pretrain ] && steps="pretrain resume"
    for step in $steps; do
      if [ "$step" = pretrain ] || [ "$step" = resume ]; then
        epochs=1
        [ "$step" = resume ] && epochs=2
        args=(pretrain --input "$WORK/events.csv" --format taobao --out "$WORK/model" --epochs "$epochs"
          --sample "${SCALE_PRETRAIN_SAMPLE:-0.05}")
      elif [ "$step" = train ]; then
        # shellcheck disable=SC2206
        args=(train --input "$WORK/events.csv" --format taobao --detector "$d" --model "$WORK/model" ${SCALE_TRAIN_OPTS:-})
      else
        args=(score --model "$WORK/model" --input "$WORK/events.csv" --format taobao --output "$WORK/scores.csv")
      fi
      set +e
      /usr/bin/time -f '%e %M' -o "$WORK/time" "$ROOT/seqwatch" "${args[@]}" > "$WORK/out" 2>&1
      code=$?
      set -e
      read -r secs kb < <(tail -n 1 "$WORK/time") # after a failure, time's first line says so
      awk -v d="$d" -v n="$size" -v step="$step" -v s="$secs" -v kb="$kb" -v code="$code" 'BEGIN {
        printf "%-18s %10d %-6s %8.1f %12.0f %12.0f %14.0f %5d\n", d, n, step, s, n / (s > 0 ? s : 0.01), kb / 1024,
          kb * 1024 / n, code }'
      if [ "$code" != 0 ]; then
        tail -3 "$WORK/out" | sed 's/^/    /'
        break
      fi
      if [ "$d" = pretrain ]; then
        grep -E "pretrained|resumed|events/s" "$WORK/out" | head -3 | sed 's/^/    /'
      fi
    done
    rm -rf "$WORK/model" "$WORK/scores.csv"
  done
done
