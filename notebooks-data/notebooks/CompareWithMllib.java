import io.sparkps.driver.ml.SparkPSClassificationModel;
import io.sparkps.driver.ml.SparkPSClassifier;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * SparkPS logistic regression against Spark MLlib's LogisticRegression on the same rows, both
 * through the Spark ML API: fit time (after one untimed warm-up fit each) and held-out AUC,
 * accuracy and log loss. Prints one JSON object per system.
 *
 * <p>Run: bin/spark-java notebooks-data/notebooks/CompareWithMllib.java TRAIN.csv TEST.csv
 * (CSV files with a header, numeric features and a 0/1 column "label", as sparkps synth writes).
 */
public class CompareWithMllib {
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: CompareWithMllib TRAIN.csv TEST.csv");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("compare")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> train = vectors(spark, args[0]).cache();
    Dataset<Row> test = vectors(spark, args[1]).cache();
    train.count();
    test.count();
    LogisticRegression mllib = new LogisticRegression();
    SparkPSClassifier sparkps = new SparkPSClassifier();
    sparkps.setModelType("logistic").setWorkers(2).setSeed(7);
    report("MLlib LogisticRegression", time(() -> mllib.fit(train)), test);
    report("SparkPS logistic", time(() -> sparkps.fit(train)), test);
    spark.stop();
    System.exit(0); // Spark leaves a non-daemon barrier timer thread behind
  }

  /** The CSV with its non-label columns assembled into "features", the label as a double. */
  static Dataset<Row> vectors(SparkSession spark, String path) {
    Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(path);
    String[] features = Arrays.stream(raw.columns()).filter(c -> !c.equals("label"))
        .toArray(String[]::new);
    return new VectorAssembler().setInputCols(features).setOutputCol("features")
        .transform(raw).selectExpr("features", "cast(label as double) as label");
  }

  record Timed(Model<?> model, double seconds) {
  }

  /** One untimed warm-up fit, then a timed one. */
  static Timed time(java.util.function.Supplier<Model<?>> fit) {
    fit.get();
    long t0 = System.nanoTime();
    Model<?> m = fit.get();
    return new Timed(m, (System.nanoTime() - t0) / 1e9);
  }

  static void report(String name, Timed t, Dataset<Row> test) {
    Dataset<Row> scored = t.model().transform(test).cache();
    double auc = new BinaryClassificationEvaluator().setRawPredictionCol("probability")
        .evaluate(scored);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    double logLoss = new MulticlassClassificationEvaluator().setMetricName("logLoss")
        .evaluate(scored);
    System.out.printf(Locale.ROOT, "{\"system\": \"%s\", \"fitSeconds\": %.4f, \"auc\": %.6f, "
        + "\"accuracy\": %.6f, \"logLoss\": %.6f}%n", name, t.seconds(), auc, accuracy, logLoss);
    scored.unpersist();
  }
}
