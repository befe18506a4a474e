#!/usr/bin/env bash
# Builds bench/compare and runs the cost-growth comparison (bench/README.md, "Keyed scale and
# cost growth"): the sparse trainers on the same ctr-N rows at several --hash-bits, one run.
# Usage: bench/growth.sh [growth options]; bench/growth.sh --help lists them.
# Results go to bench/results/growth/ (growth.md, and one comparison folder b<B> per width).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "growth: building bench/compare ..." >&2
  mvn -q -B -Dstyle.color=never -Pbench -pl bench/compare -am install -DskipTests \
    -Dps.bench.skip=true >&2
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Xmx1g -cp "bench/compare/target/classes:$(cat bench/compare/target/classpath.txt)" \
  io.sparkps.bench.compare.GrowthMain "$@"
