#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: one master and N workers, each its own JVM
# on 127.0.0.1, started from the Maven-resolved Spark jars (no Spark download needed).
#
#   deploy/local-cluster.sh start [WORKERS]   start the master and WORKERS workers (default 2)
#   deploy/local-cluster.sh stop              stop exactly the processes this script started
#   deploy/local-cluster.sh status            list them
#   deploy/local-cluster.sh kill-worker N     SIGKILL worker N (for failure drills)
#
# Settings (environment): SPARKPS_CLUSTER_DIR (state: spark-home, pids, logs; default
# target/local-cluster), SPARKPS_MASTER_PORT (7077), SPARKPS_MASTER_UI_PORT (8080),
# SPARKPS_WORKER_CORES (1), SPARKPS_WORKER_MEMORY (1536m).
# Prints the master URL on start. Needs 'mvn -DskipTests package' first (for the classpath).
set -euo pipefail
# shellcheck source=deploy/spark-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-env.sh"

dir="${SPARKPS_CLUSTER_DIR:-$SPARKPS_ROOT/target/local-cluster}"
master_port="${SPARKPS_MASTER_PORT:-7077}"
ui_port="${SPARKPS_MASTER_UI_PORT:-8080}"
cores="${SPARKPS_WORKER_CORES:-1}"
memory="${SPARKPS_WORKER_MEMORY:-1536m}"
export SPARK_HOME="$dir/spark-home" SPARK_LOCAL_IP=127.0.0.1

spark_home() {
  local cp="$SPARKPS_ROOT/driver/target/classpath.txt"
  [[ -f "$cp" ]] || { echo "local-cluster: $cp is missing; run 'mvn -DskipTests package' first" >&2; exit 2; }
  rm -rf "$SPARK_HOME" && mkdir -p "$SPARK_HOME/jars" "$dir/pids" "$dir/logs" "$dir/work"
  # Spark and its dependencies only: SparkPS itself travels in the submitted jar
  tr ':' '\n' < "$cp" | grep '\.jar$' | grep -v '/sparkps-' \
    | while read -r jar; do ln -sf "$jar" "$SPARK_HOME/jars/"; done
}

launch() { # name main-class args...
  local name=$1; shift
  # shellcheck disable=SC2086
  nohup java $SPARKPS_JAVA_OPENS -Xmx512m -cp "$SPARK_HOME/jars/*" "$@" \
    > "$dir/logs/$name.log" 2>&1 &
  echo $! > "$dir/pids/$name.pid"
}

wait_for() { # port what
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "local-cluster: $2 did not open port $1; see $dir/logs" >&2; exit 1
}

start() {
  local workers=${1:-2}
  spark_home
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port "$master_port" --webui-port "$ui_port"
  wait_for "$master_port" "the master"
  for i in $(seq 1 "$workers"); do
    launch "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
      --cores "$cores" --memory "$memory" --webui-port 0 --work-dir "$dir/work/worker-$i" \
      "spark://127.0.0.1:$master_port"
  done
  for _ in $(seq 1 120); do
    local n
    n=$( (grep -l "Successfully registered with master" "$dir"/logs/worker-*.log || true) | wc -l)
    [[ "$n" -ge "$workers" ]] && { echo "spark://127.0.0.1:$master_port"; return 0; }
    sleep 0.5
  done
  echo "local-cluster: not all $workers workers registered; see $dir/logs" >&2; exit 1
}

stop() {
  shopt -s nullglob
  for f in "$dir"/pids/*.pid; do
    local pid; pid=$(cat "$f")
    # only a process this script started: a java process whose command line names our SPARK_HOME
    local cmd=""
    kill -0 "$pid" 2>/dev/null && cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline")
    if [[ "$cmd" == *"$SPARK_HOME"* ]]; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

status() {
  shopt -s nullglob
  for f in "$dir"/pids/*.pid; do
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$f" .pid) running (pid $pid)"
    else echo "$(basename "$f" .pid) stopped"; fi
  done
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  kill-worker) kill -9 "$(cat "$dir/pids/worker-$2.pid")" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
