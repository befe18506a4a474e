#!/usr/bin/env bash
# Builds the benchmark modules and runs the side-by-side comparison (bench/README.md).
# Usage: bench/compare.sh [compare options]; bench/compare.sh --help lists them.
# Results go to bench/results/ (results.md, results.csv, loss-vs-time-*.png).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "compare: building bench/compare and bench/dl4j (first build downloads about 400 MB of DL4J jars) ..." >&2
  mvn -q -B -Dstyle.color=never -Pbench -pl bench/compare,bench/dl4j -am install -DskipTests \
    -Dps.bench.skip=true >&2
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Xmx1g -cp "bench/compare/target/classes:$(cat bench/compare/target/classpath.txt)" \
  io.sparkps.bench.compare.CompareMain "$@"
