#!/usr/bin/env bash
# End to end, process start to model written, CSV read included (bench/README.md, issue 18):
# `sparkps train --model logistic` (with and without the launcher's class-data archive) against
# Spark MLlib as users write it (MllibEndToEnd: Spark's CSV reader with a given schema,
# VectorAssembler, LogisticRegression().fit, save; no cache),
# both on local[2] with the same JVM options, run alternately ROUNDS times each.
# Usage: bench/e2e.sh CSV [ROUNDS] [OUT_DIR]   (CSV: synth's f0..f27,label, e.g.
#   bin/sparkps synth --rows 1000000 --out /tmp/synth-1000000.csv)
# Prints one table row per run (wall seconds, load average before it) and keeps each run's
# console output (SparkPS's with --verbose: timestamped log lines) in OUT_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
csv="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
rounds="${2:-2}"
out="${3:-/tmp/sparkps-e2e}"
mkdir -p "$out"
cd "$root"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -q -B -Dstyle.color=never -Pbench -pl bench/compare -am install -DskipTests \
    -Dps.bench.skip=true >&2
  touch driver/target/.sparkps-built
fi
# the launcher's class-data archive, made once per build (bin/sparkps), before any timed run
bin/sparkps train --epochs 1 --out "$out/warm-up-model" --overwrite > /dev/null 2>&1
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# the JVM options bin/sparkps runs the command line with
opens="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
--add-modules jdk.incubator.vector -Dlog4j2.configurationFile=$root/deploy/conf/log4j2.properties"
cp="bench/compare/target/classes:$(cat bench/compare/target/classpath.txt)"

timed() {
  local name="$1" round="$2"
  shift 2
  local load t0 t1 status=ok
  load="$(cut -d' ' -f1 /proc/loadavg)"
  t0="$(date +%s.%N)"
  "$@" > "$out/$name-$round.log" 2>&1 || status="failed (see $out/$name-$round.log)"
  t1="$(date +%s.%N)"
  printf '| %s | %s | %.1f | %s | %s |\n' "$round" "$name" "$(echo "$t1 - $t0" | bc)" "$load" \
    "$status"
}

echo "| round | program | wall seconds | load average before | exit |"
echo "|---|---|---|---|---|"
for ((r = 1; r <= rounds; r++)); do
  # shellcheck disable=SC2086
  timed mllib "$r" java $opens -cp "$cp" io.sparkps.bench.compare.MllibEndToEnd "$csv" \
    "$out/mllib-model" "local[2]"
  timed sparkps "$r" env SPARKPS_SKIP_BUILD=1 bin/sparkps train --model logistic --data "$csv" \
    --out "$out/sparkps-model" --overwrite --master "local[2]" --verbose
  # the same without the launcher's class-data archive: what spark-submit of the jar starts with
  timed sparkps-no-cds "$r" env SPARKPS_SKIP_BUILD=1 SPARKPS_CDS=off bin/sparkps train \
    --model logistic --data "$csv" --out "$out/sparkps-model" --overwrite --master "local[2]" \
    --verbose
done
grep -h "^mllib:" "$out"/mllib-*.log || true
