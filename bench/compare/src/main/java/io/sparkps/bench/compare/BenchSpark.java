package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The Spark side every trainer's JVM shares: a {@code local[cores]} session with Kryo, and the
 * prepared training blocks read by Spark tasks (one part per partition) and cached before any
 * clock starts. Loads no SparkPS training code, so DL4J's JVM can use it too.
 */
public final class BenchSpark {
  private BenchSpark() {
  }

  /** A local session; {@code registrators} is Kryo's registrator list, or empty for none. */
  public static SparkSession start(String appName, int cores, String registrators) {
    SparkConf conf = new SparkConf()
        .setMaster("local[" + cores + "]")
        .setAppName(appName)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.shuffle.partitions", Integer.toString(cores))
        .set("spark.default.parallelism", Integer.toString(cores))
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryoserializer.buffer.max", "1g");
    if (!registrators.isEmpty()) {
      conf.set("spark.kryo.registrator", registrators);
    }
    SparkSession s = SparkSession.builder().config(conf).getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    // SparkPS's own per-epoch lines (stage time, compute and wait per partition) stay visible
    org.apache.logging.log4j.core.config.Configurator.setLevel("io.sparkps",
        org.apache.logging.log4j.Level.INFO);
    return s;
  }

  /**
   * The training blocks, one per partition, read from the prepared files by Spark tasks and
   * persisted at {@code level}; materialized before returning.
   */
  public static JavaRDD<ExampleBlock> trainBlocks(SparkSession spark, BenchData.Prepared data,
      StorageLevel level) {
    return blocks(spark, data, true, level);
  }

  /** The held-out blocks, as {@link #trainBlocks}. */
  public static JavaRDD<ExampleBlock> testBlocks(SparkSession spark, BenchData.Prepared data,
      StorageLevel level) {
    return blocks(spark, data, false, level);
  }

  private static JavaRDD<ExampleBlock> blocks(SparkSession spark, BenchData.Prepared data,
      boolean train, StorageLevel level) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> files = new ArrayList<>();
    for (int p = 0; p < data.parts(); p++) {
      files.add((train ? data.trainPart(p) : data.testPart(p)).toAbsolutePath().toString());
    }
    JavaRDD<ExampleBlock> rdd = sc.parallelize(files, data.parts())
        .map(f -> BlockFile.read(java.nio.file.Path.of(f)))
        .persist(level);
    rdd.count();
    return rdd;
  }
}
