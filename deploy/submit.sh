#!/usr/bin/env bash
# Submits SparkPS's shaded jar with the settings it needs on Java 17.
#
#   deploy/submit.sh --master URL [--deploy-mode client|cluster] [spark-submit options] -- \
#       train --data PATH ... (any sparkps subcommand and its options)
#
# Uses $SPARK_HOME/bin/spark-submit when there is one, else the Spark classes on
# $SPARK_HOME/jars (as deploy/local-cluster.sh lays them out; with spark-yarn, so --master yarn
# works given HADOOP_CONF_DIR). Adds Kryo with SparkPS's registrators, the --add-opens list for
# the driver and executor JVMs, and the Vector API module (jdk.incubator.vector) for every JVM,
# so that --backend auto (the default) finds it.
set -euo pipefail
# shellcheck source=deploy/spark-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-env.sh"

spark_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do spark_args+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
[[ -f "$SPARKPS_JAR" ]] || { echo "submit: $SPARKPS_JAR is missing; run 'mvn -DskipTests package'" >&2; exit 2; }

conf=(--conf "spark.serializer=org.apache.spark.serializer.KryoSerializer"
      --conf "spark.kryo.registrator=io.sparkps.worker.SparkPsKryoRegistrator,io.sparkps.driver.data.DataKryoRegistrator"
      --conf "spark.driver.extraJavaOptions=$SPARKPS_JAVA_OPENS $SPARKPS_VECTOR"
      --conf "spark.executor.extraJavaOptions=$SPARKPS_JAVA_OPENS $SPARKPS_VECTOR"
      --conf "spark.standalone.submit.waitAppCompletion=true")
args=("${spark_args[@]}" "${conf[@]}" --class io.sparkps.driver.SparkPsCli "$SPARKPS_JAR" "$@")

if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${args[@]}"
fi
[[ -n "${SPARK_HOME:-}" && -d "$SPARK_HOME/jars" ]] || {
  echo "submit: set SPARK_HOME to a Spark 3.5 installation (or deploy/local-cluster.sh's spark-home)" >&2; exit 2; }
# HADOOP_CONF_DIR and YARN_CONF_DIR go first on the classpath, as spark-submit puts them: --master
# yarn finds the resource manager (and fs.defaultFS) in their *-site.xml files.
cp="${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}${YARN_CONF_DIR:+$YARN_CONF_DIR:}$SPARK_HOME/jars/*"
# shellcheck disable=SC2086
exec java $SPARKPS_JAVA_OPENS $SPARKPS_VECTOR -cp "$cp" org.apache.spark.deploy.SparkSubmit "${args[@]}"
