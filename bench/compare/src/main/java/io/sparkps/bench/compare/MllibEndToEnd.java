package io.sparkps.bench.compare;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Logistic regression with Spark MLlib written as a user writes it, timed from JVM start to the
 * model written: Spark's CSV reader with a given schema (synth's {@code f0..f27,label}),
 * {@link VectorAssembler}, {@code new LogisticRegression().fit} with its defaults, {@code save};
 * nothing cached. {@code bench/e2e.sh} runs it against {@code sparkps train} on the same file.
 *
 * <p>Usage: {@code MllibEndToEnd CSV OUT_DIR [MASTER]}; prints one line of phase times (seconds
 * since JVM start at each phase's end) to standard output.
 */
public final class MllibEndToEnd {
  private MllibEndToEnd() {
  }

  public static void main(String[] args) {
    String master = args.length > 2 ? args[2] : "local[2]";
    SparkSession spark = SparkSession.builder().master(master).appName("mllib-logistic")
        .config("spark.ui.enabled", "false").getOrCreate();
    double started = sinceStart();
    StructType schema = new StructType();
    String[] features = new String[28];
    for (int j = 0; j < features.length; j++) {
      features[j] = "f" + j;
      schema = schema.add(features[j], DataTypes.DoubleType);
    }
    schema = schema.add("label", DataTypes.DoubleType);
    Dataset<Row> data = spark.read().option("header", true).schema(schema).csv(args[0]);
    Dataset<Row> assembled = new VectorAssembler().setInputCols(features)
        .setOutputCol("features").transform(data);
    LogisticRegressionModel model = new LogisticRegression().fit(assembled);
    double fitted = sinceStart();
    try {
      model.write().overwrite().save(args[1]);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    double saved = sinceStart();
    System.out.printf(Locale.ROOT, "mllib: spark started %.2f s, fitted %.2f s (%d iterations),"
        + " saved %.2f s after JVM start%n", started, fitted, model.summary().totalIterations(),
        saved);
    spark.stop();
  }

  private static double sinceStart() {
    return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
        / 1e3;
  }
}
