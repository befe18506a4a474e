package io.sparkps.dl4j;

import io.sparkps.driver.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one local[2] Spark session of this module's tests (the driver's fixture, plus ND4J's Kryo
 * registrator for the DL4J data sets the tests parallelize). Started on first use, stopped when
 * the test JVM exits.
 */
public final class Dl4jTestSession {
  private Dl4jTestSession() {
  }

  private static final class Holder {
    static final SparkSession SESSION = start();

    private static SparkSession start() {
      SparkSession s = SparkSessions.getOrCreate(SparkSessions.Settings.defaults()
          .withMaster("local[2]")
          .withAppName("sparkps-dl4j-tests")
          .withUi(false)
          .with("spark.kryo.registrator",
              SparkSessions.REGISTRATORS + ",org.nd4j.kryo.Nd4jRegistrator")
          .with("spark.sql.shuffle.partitions", "2"));
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-spark-test-session"));
      return s;
    }
  }

  public static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(Holder.SESSION.sparkContext());
  }
}
