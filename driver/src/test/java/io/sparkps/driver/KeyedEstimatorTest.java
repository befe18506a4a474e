package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.driver.CliTest.Run;
import io.sparkps.driver.ml.SparkPSClassificationModel;
import io.sparkps.driver.ml.SparkPSClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.feature.FeatureHasher;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML classifier with {@code psLayout} keyed: it trains a sparse logistic model on
 * FeatureHasher vectors through a keyed job, the servers write the model into
 * a fit directory of {@code keyedModelDir}, and {@code transform} scores from that directory the probabilities
 * {@code sparkps predict} gives for the same rows and model; the saved and reloaded model scores
 * the same. Each fit writes into a directory of its own under {@code keyedModelDir}, so a
 * CrossValidator can fit many times. Dense-only combinations are refused with the fix.
 */
class KeyedEstimatorTest {
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = io.sparkps.driver.data.SparkTestSession.get();
  }

  /** Rows whose label's log-odds is a site's plus an app's effect, hashed into 2^18 slots. */
  static Dataset<Row> hashed(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    double[] site = {1.5, -1.5, 0.8, -0.8, 0, 0.3, -0.3, 1};
    double[] app = {1, -1, 0.5, -0.5, 0, 0.2};
    for (int i = 0; i < n; i++) {
      int s = rng.nextInt(site.length);
      int a = rng.nextInt(app.length);
      double y = rng.nextDouble() < 1 / (1 + Math.exp(-site[s] - app[a])) ? 1 : 0;
      rows.add(RowFactory.create((long) i, "s" + s, "a" + a, y));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("site", DataTypes.StringType).add("app", DataTypes.StringType)
        .add("label", DataTypes.DoubleType);
    return new FeatureHasher().setInputCols(new String[] {"site", "app"})
        .setOutputCol("features").setNumFeatures(1 << 18)
        .transform(spark.createDataFrame(rows, schema)).select("id", "features", "label");
  }

  /**
   * A CrossValidator fits the keyed estimator once per fold and once more on all rows, each into
   * its own directory under one keyedModelDir, and scores each fold's model from its directory.
   */
  @Test
  void aCrossValidatorFitsTheKeyedEstimatorManyTimesInOneModelDir(@TempDir Path tmp) {
    SparkPSClassifier lr = new SparkPSClassifier();
    lr.setModelType("logistic").setOptimizer("adagrad").setStepSize(0.1).setMaxIter(2)
        .setWorkers(2).setPsLayout("keyed").setKeyedModelDir(tmp.resolve("cv").toString());
    org.apache.spark.ml.tuning.CrossValidatorModel cv = new org.apache.spark.ml.tuning
        .CrossValidator().setEstimator(lr).setEvaluator(
            new org.apache.spark.ml.evaluation.BinaryClassificationEvaluator())
        .setEstimatorParamMaps(new org.apache.spark.ml.tuning.ParamGridBuilder()
            .addGrid(lr.stepSize(), new double[] {0.1}).build())
        .setNumFolds(2).setSeed(7).fit(hashed(1500, 4));
    assertTrue(cv.avgMetrics()[0] > 0.65, "the folds' models learned: AUC "
        + cv.avgMetrics()[0]);
    String best = ((SparkPSClassificationModel) cv.bestModel()).keyedDirectory();
    assertTrue(best.endsWith("/fit-00003"), "two folds, then the refit on all rows: " + best);
    for (String f : List.of("fit-00001", "fit-00002", "fit-00003")) {
      assertTrue(Files.exists(tmp.resolve("cv").resolve(f).resolve("keyed.json")), f);
    }
  }

  @Test
  void keyedLogisticScoresAsPredictDoesFromTheModelDirectory(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("keyed-model");
    SparkPSClassifier lr = new SparkPSClassifier();
    lr.setModelType("logistic").setOptimizer("adagrad").setStepSize(0.1).setMaxIter(5)
        .setWorkers(2).setPsLayout("keyed").setKeyedModelDir(dir.toString());
    SparkPSClassificationModel m = lr.fit(hashed(3000, 1));
    assertEquals(0, m.parameters().length, "a keyed model holds no parameter vector");
    Path fit = dir.resolve("fit-00001");
    assertEquals(fit, Path.of(java.net.URI.create(m.keyedDirectory())),
        "the first fit's own directory");
    assertTrue(Files.exists(fit.resolve("keyed.json")), "the header beside the parts");

    Dataset<Row> test = hashed(500, 2);
    Path data = tmp.resolve("test.parquet");
    test.write().parquet(data.toString());
    Map<Long, Double> fromTransform = new HashMap<>();
    for (Row r : m.transform(test).select("id", "probability").collectAsList()) {
      fromTransform.put(r.getLong(0), ((Vector) r.get(1)).apply(1));
    }
    Path pred = tmp.resolve("pred");
    Run p = CliTest.run("predict", "--model", fit.toString(), "--data", data.toString(),
        "--output-format", "parquet", "--out", pred.toString());
    assertEquals(0, p.code(), p.err());
    List<Row> predicted = spark.read().parquet(pred.toString()).select("id", "probability_1",
        "label").collectAsList();
    assertEquals(500, predicted.size());
    double logLoss = 0;
    for (Row r : predicted) {
      double want = r.getDouble(1);
      assertEquals(want, fromTransform.get(r.getLong(0)), 1e-6, "row " + r.getLong(0));
      logLoss -= Math.log(Math.max(1e-12, r.getDouble(2) == 1 ? want : 1 - want));
    }
    assertTrue(logLoss / 500 < 0.62, "the keyed model learned the sites and apps: log loss "
        + logLoss / 500);
    assertTrue(fromTransform.values().stream().distinct().count() > 10, "rows differ");

    String saved = tmp.resolve("saved").toString();
    m.write().save(saved);
    SparkPSClassificationModel back = SparkPSClassificationModel.load(saved);
    List<Row> a = m.transform(test).select("probability").collectAsList();
    List<Row> b = back.transform(test).select("probability").collectAsList();
    assertEquals(a, b, "the reloaded keyed model scores the same");

    SparkPSClassificationModel again = lr.setMaxIter(1).fit(hashed(100, 3));
    assertTrue(again.keyedDirectory().endsWith("/fit-00002"), again.keyedDirectory());
    assertEquals(a, m.transform(test).select("probability").collectAsList(),
        "a second fit into the same keyedModelDir leaves the first model's directory alone");
    SparkPSClassifier noDir = new SparkPSClassifier();
    noDir.setModelType("logistic").setOptimizer("adagrad").setMaxIter(1).setWorkers(2)
        .setPsLayout("keyed");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> noDir.fit(hashed(100, 3)));
    assertTrue(e.getMessage().contains("set keyedModelDir"), e.getMessage());
    SparkPSClassifier denseFtrl = new SparkPSClassifier();
    denseFtrl.setModelType("logistic").setOptimizer("ftrl").setMaxIter(1).setWorkers(2);
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
        () -> denseFtrl.fit(hashed(100, 3)));
    assertTrue(f.getMessage().contains("needs psLayout keyed"), f.getMessage());
  }
}
