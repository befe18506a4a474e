package io.sparkps.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML program users write, run against SparkPS: a {@code Pipeline} of MLlib's
 * {@code StandardScaler} and {@link SparkPSClassifier}, tuned by {@code CrossValidator} over a
 * {@code ParamGridBuilder} grid built from the params' accessors (no casts), scored by MLlib's
 * evaluators, saved and reloaded.
 */
class MLlibToolsTest {
  private static Dataset<Row> cancer;

  @BeforeAll
  static void data() {
    SparkPSEstimatorTest.session();
    cancer = SparkPSEstimatorTest.frame(TestData.breastCancer().block()).cache();
  }

  private static Pipeline scaledPipeline(SparkPSClassifier clf) {
    StandardScaler scaler = new StandardScaler().setInputCol("features").setOutputCol("scaled")
        .setWithMean(true);
    clf.setFeaturesCol("scaled").setStandardization(false).setWorkers(2).setSeed(7);
    return new Pipeline().setStages(new PipelineStage[] {scaler, clf});
  }

  @Test
  void crossValidatedPipelineScoresWithMllibEvaluatorsAndReloads(@TempDir Path tmp) throws Exception {
    SparkPSClassifier clf = new SparkPSClassifier().setModelType("logistic").setMaxIter(4)
        .setBatchSize(32);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(clf.stepSize(), new double[] {0.01, 0.1})
        .addGrid(clf.regParam(), new double[] {0.0, 0.5})
        .build();
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
    CrossValidator cv = new CrossValidator().setEstimator(scaledPipeline(clf))
        .setEstimatorParamMaps(grid).setEvaluator(auc).setNumFolds(2).setSeed(7);
    CrossValidatorModel model = cv.fit(cancer);

    assertEquals(4, model.avgMetrics().length);
    for (double m : model.avgMetrics()) {
      assertTrue(m > 0.9, "every grid point separates the classes: held-out AUC " + m);
    }
    Dataset<Row> scored = model.transform(cancer);
    assertEquals(List.of("features", "label", "scaled", "prediction", "rawPrediction",
        "probability"), List.of(scored.columns()));
    double trainAuc = auc.evaluate(scored);
    assertTrue(trainAuc > 0.97, "AUC of the best model " + trainAuc);
    double pr = auc.setMetricName("areaUnderPR").evaluate(scored);
    assertTrue(pr > 0.97, "area under PR " + pr);
    double f1 = new MulticlassClassificationEvaluator().evaluate(scored);
    assertTrue(f1 > 0.93, "F1 on two classes " + f1);

    String path = tmp.resolve("cv").toString();
    model.write().save(path);
    CrossValidatorModel back = CrossValidatorModel.load(path);
    assertArrayEquals(model.avgMetrics(), back.avgMetrics());
    assertEquals(trainAuc, auc.setMetricName("areaUnderROC").evaluate(back.transform(cancer)),
        1e-12, "the reloaded model scores the same (up to the order of Spark's sums)");
    assertEquals(scored.select("rawPrediction").collectAsList(),
        back.transform(cancer).select("rawPrediction").collectAsList());
  }

  @Test
  void multiclassPipelineTunedOnIris(@TempDir Path tmp) throws Exception {
    Dataset<Row> iris = SparkPSEstimatorTest.frame(TestData.iris().block());
    SparkPSClassifier clf = new SparkPSClassifier().setModelType("softmax").setMaxIter(6)
        .setBatchSize(16);
    ParamMap[] grid = new ParamGridBuilder().addGrid(clf.stepSize(), new double[] {0.05, 0.2})
        .build();
    MulticlassClassificationEvaluator acc = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    CrossValidatorModel model = new CrossValidator().setEstimator(scaledPipeline(clf))
        .setEstimatorParamMaps(grid).setEvaluator(acc).setNumFolds(2).setSeed(7).fit(iris);
    double a = acc.evaluate(model.transform(iris));
    assertTrue(a > 0.9, "iris accuracy " + a);
    double logLoss = acc.setMetricName("logLoss").evaluate(model.transform(iris));
    assertTrue(logLoss < 0.5, "iris log loss from the probability column " + logLoss);

    String path = tmp.resolve("cv").toString();
    model.write().save(path);
    assertEquals(logLoss, acc.evaluate(CrossValidatorModel.load(path).transform(iris)), 1e-12,
        "the reloaded model scores the same");
  }

  @Test
  void modelFollowsTheProbabilisticClassifierContract() {
    SparkPSClassifier clf = new SparkPSClassifier().setModelType("logistic").setMaxIter(3);
    PipelineModel fitted = scaledPipeline(clf).fit(cancer);
    SparkPSClassificationModel m = (SparkPSClassificationModel) fitted.stages()[1];
    assertEquals(2, m.numClasses());
    assertEquals(30, m.numFeatures());
    assertEquals(clf.uid(), m.parent().uid());
    Row first = fitted.transform(cancer).first();
    Vector scaled = first.getAs("scaled");
    Vector raw = first.getAs("rawPrediction");
    Vector p = first.getAs("probability");
    assertArrayEquals(raw.toArray(), m.predictRaw(scaled).toArray(), 1e-9,
        "one row scored alone matches the chunked transform");
    assertEquals(first.<Double>getAs("prediction"), m.predict(scaled));
    assertEquals(p.apply(1), Math.exp(raw.apply(1)), 1e-9, "raw is the log-probability");

    m.setThresholds(new double[] {1.0, 0.0}).setRawPredictionCol("").setProbabilityCol("");
    Dataset<Row> allOnes = fitted.transform(cancer);
    assertEquals(List.of("features", "label", "scaled", "prediction"),
        List.of(allOnes.columns()));
    assertEquals(cancer.count(), allOnes.filter("prediction = 1").count(),
        "a threshold of 0 makes its class win");
  }

  @Test
  void paramsHaveMllibAccessorsAndValidators() {
    SparkPSClassifier clf = new SparkPSClassifier();
    assertEquals(0.0, clf.getStepSize());
    assertEquals("mlp", clf.getModelType());
    assertEquals("linear", new SparkPSRegressor().getModelType());
    assertEquals(0.25, clf.setStepSize(0.25).getStepSize());
    assertEquals(0.25, (Double) clf.getOrDefault(clf.stepSize()));
    assertTrue(clf.hasParam("rawPredictionCol") && clf.hasParam("thresholds"));
    assertThrows(IllegalArgumentException.class, () -> clf.setStepSize(-1));
    assertThrows(IllegalArgumentException.class, () -> clf.setMaxIter(0));
    assertThrows(IllegalArgumentException.class, () -> clf.setModelType("linear"));
    assertThrows(IllegalArgumentException.class, () -> clf.setOptimizer("adamm"));
    assertThrows(IllegalArgumentException.class, () -> clf.setHiddenLayers(8, 0));
    SparkPSClassifier copy = clf.copy(ParamMap.empty());
    assertEquals(clf.uid(), copy.uid());
    assertEquals(0.25, copy.getStepSize());
    assertEquals(clf.stepSize(), copy.stepSize(), "a copy keeps the uid, so its params match");
  }
}
