#!/usr/bin/env bash
# Keyed scale run (bench/README.md, "Keyed scale and cost growth (issue 15)"): a factorization
# machine trained with --ps-layout keyed on ctr-N with id columns, against two standalone
# parameter-server processes (sparkps ps, two shards each, token files), on a Spark standalone
# cluster of two one-core workers on this machine (deploy/local-cluster.sh), so that each
# executor, the driver and each server is a JVM of its own with its own heap limit and GC log.
#
#   SCALE_IDS=36 SCALE_ROWS=1000000 bench/keyed-scale.sh   # the README's run (2^26, K=8)
#
# Builds the driver first (SKIP_BUILD=1 skips it).
# Settings (environment): SCALE_ROWS (1000000: ctr-N, the first 80% train), SCALE_IDS (36 id
# columns), SCALE_BITS (26), SCALE_FACTORS (8), SCALE_EPOCHS (1), SCALE_BATCH (512 per worker),
# PS_HEAP (3g each), EXECUTOR_MEMORY (2560m each), DRIVER_HEAP (1536m), SCALE_OUT
# (bench/results/keyed-scale), SCALE_WORK (bench/compare/target/keyed-scale: data, cluster).
# Writes the logs, the GC logs of every JVM, the servers' table gauges every 20 s, each server's
# heap after a full GC before and after training, and summary.txt (peaks, keys, bytes per key).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows="${SCALE_ROWS:-1000000}" ids="${SCALE_IDS:-36}" bits="${SCALE_BITS:-26}"
factors="${SCALE_FACTORS:-8}" epochs="${SCALE_EPOCHS:-1}" batch="${SCALE_BATCH:-512}"
ps_heap="${PS_HEAP:-3g}" exec_mem="${EXECUTOR_MEMORY:-2560m}" driver_heap="${DRIVER_HEAP:-1536m}"
out="$(mkdir -p "${SCALE_OUT:-bench/results/keyed-scale}" && cd "${SCALE_OUT:-bench/results/keyed-scale}" && pwd)"
work="$(mkdir -p "${SCALE_WORK:-bench/compare/target/keyed-scale}" && cd "${SCALE_WORK:-bench/compare/target/keyed-scale}" && pwd)"
source deploy/spark-env.sh
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "keyed-scale: building the driver and its shaded jar ..." >&2
  mvn -q -B -Dstyle.color=never -pl driver -am install -DskipTests >&2
fi
export SPARKPS_SKIP_BUILD=1 SPARK_LOCAL_IP=127.0.0.1
rm -f "$out"/*.log "$out"/*.txt "$out"/*.prom

data="$work/ctr-ids$ids-$rows-train.csv"
if [[ ! -f "$data" ]]; then
  bin/sparkps synth --kind ctr --rows "$rows" --id-fields "$ids" --part train --out "$data"
fi
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/token"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/admin-token"
umask 022

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  SPARKPS_CLUSTER_DIR="$work/cluster" deploy/local-cluster.sh stop || true
}
trap cleanup EXIT

ps_list=() metric_ports=()
for i in 0 1; do
  port=$(free_port) mport=$(free_port)
  SPARKPS_JAVA_OPTS="-Xmx$ps_heap -Xlog:gc:file=$out/ps-$i-gc.log" bin/sparkps ps --port "$port" \
    --shards 2 --first-shard $((2 * i)) --token-file "$work/token" \
    --admin-token-file "$work/admin-token" --metrics-port "$mport" > "$out/ps-$i.log" 2>&1 &
  pids+=($!)
  ps_list+=("127.0.0.1:$port" "127.0.0.1:$port")
  metric_ports+=("$mport")
done
for i in 0 1; do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:${metric_ports[$i]}/metrics" > /dev/null && break
    sleep 0.5
  done
done

master=$(SPARKPS_CLUSTER_DIR="$work/cluster" SPARKPS_MASTER_PORT=$(free_port) \
  SPARKPS_MASTER_UI_PORT=$(free_port) SPARKPS_WORKER_MEMORY=3g deploy/local-cluster.sh start 2)
echo "cluster $master; servers ${ps_list[*]}"
# every executor JVM: the module options, the Vector API, and a GC log of its own (%p: its pid)
echo "$SPARKPS_JAVA_OPENS $SPARKPS_VECTOR -Xlog:gc:file=$out/executor-gc-%p.log" > "$work/executor.args"

heap_after_full_gc() { # server-index file
  { jcmd "${pids[$1]}" GC.run > /dev/null; jcmd "${pids[$1]}" GC.heap_info; } > "$2" 2>&1 || true
}
for i in 0 1; do heap_after_full_gc "$i" "$out/ps-$i-heap-idle.txt"; done
# the servers' table gauges every 20 s (keys and bytes as the tables grow)
(
  while true; do
    for i in 0 1; do
      curl -sf "http://127.0.0.1:${metric_ports[$i]}/metrics" | grep '^sparkps_ps_table' \
        | sed "s/^/$(date +%s) ps-$i /" >> "$out/table-gauges.txt" || true
    done
    sleep 20
  done
) &
sampler=$!
pids+=("$sampler")

cols=$(seq -s, 1 26 | sed 's/\([0-9]*\)/C\1/g'),$(seq -s, 1 "$ids" | sed 's/\([0-9]*\)/D\1/g')
start=$(date +%s)
echo "train started $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/summary.txt"
SPARKPS_JAVA_OPTS="-Xmx$driver_heap -Xlog:gc:file=$out/driver-gc.log -Dspark.jars=$SPARKPS_JAR \
-Dspark.executor.memory=$exec_mem -Dspark.executor.extraJavaOptions=@$work/executor.args" \
  timeout 3000 bin/sparkps train --master "$master" --workers 2 --data "$data" --label label \
    --categorical "$cols" --hash-bits "$bits" --model fm --factors "$factors" \
    --ps-layout keyed --optimizer adam --lr 0.01 --batch-size "$batch" --epochs "$epochs" \
    --l2 1e-4 --validation 0.05 --ps "$(IFS=,; echo "${ps_list[*]}")" \
    --ps-token-file "$work/token" --ps-admin-token-file "$work/admin-token" \
    --out "$work/model" --overwrite 2>&1 | tee "$out/train.log" | grep -v '^\s*at ' | tail -25
end=$(date +%s)
kill "$sampler" 2>/dev/null || true
# the job's tables stay on the servers after it ends: their final size and the heap they hold
for i in 0 1; do
  curl -sf "http://127.0.0.1:${metric_ports[$i]}/metrics" > "$out/ps-$i-final.prom" || true
  heap_after_full_gc "$i" "$out/ps-$i-heap-final.txt"
done
echo "train ended $(date -u +%FT%TZ) after $((end - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee -a "$out/summary.txt"
/usr/bin/python3 bench/keyed_scale_summary.py "$out" | tee -a "$out/summary.txt"
