package io.sparkps.driver.data;

import io.sparkps.driver.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one local[2] Spark session of the driver's tests: UI off, Kryo with SparkPS's registrators
 * and {@code spark.kryo.registrationRequired=true}, so any class shipped without registration
 * fails the test that ships it. Started on first use, stopped when the test JVM exits. Surefire
 * sets {@code SPARK_LOCAL_IP=127.0.0.1} and the {@code --add-opens} Spark needs on Java 17.
 */
public final class SparkTestSession {
  private SparkTestSession() {
  }

  private static final class Holder {
    static final SparkSession SESSION = start();

    private static SparkSession start() {
      SparkSession s = SparkSessions.getOrCreate(SparkSessions.Settings.defaults()
          .withMaster("local[2]")
          .withAppName("sparkps-tests")
          .withUi(false)
          .withRegistrationRequired(true)
          .with("spark.sql.shuffle.partitions", "2")
          .with("spark.sql.adaptive.enabled", "false"));
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-spark-test-session"));
      return s;
    }
  }

  /** The shared session. */
  public static SparkSession get() {
    return Holder.SESSION;
  }

  /** The shared session's Java context. */
  public static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(get().sparkContext());
  }
}
