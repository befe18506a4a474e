# shellcheck shell=bash
# Shared settings of the deploy scripts: the Java 17 module options Spark needs (the list
# spark-submit adds itself, org.apache.spark.launcher.JavaModuleOptions) and where things are.
SPARKPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPARKPS_JAVA_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
# The Vector API, which --backend auto (the default) uses where the JVM has it: every JVM that
# trains (the executors, and the driver in local mode) gets the module.
SPARKPS_VECTOR="--add-modules jdk.incubator.vector"
SPARKPS_VERSION="${SPARKPS_VERSION:-0.1.0-SNAPSHOT}"
SPARKPS_JAR="${SPARKPS_JAR:-$SPARKPS_ROOT/driver/target/sparkps-driver-$SPARKPS_VERSION-shaded.jar}"
export SPARK_SCALA_VERSION=2.12
