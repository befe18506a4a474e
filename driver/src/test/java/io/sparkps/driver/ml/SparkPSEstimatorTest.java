package io.sparkps.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.io.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML estimators: fit, transform, and ML persistence, alone and in a pipeline. */
class SparkPSEstimatorTest {
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = io.sparkps.driver.data.SparkTestSession.get();
  }

  static org.apache.spark.sql.Dataset<Row> frame(ExampleBlock b) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < b.rows(); i++) {
      double[] x = new double[b.cols()];
      for (int j = 0; j < b.cols(); j++) {
        x[j] = b.feature(i, j);
      }
      rows.add(RowFactory.create(Vectors.dense(x), (double) b.labels()[i]));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static double accuracy(org.apache.spark.sql.Dataset<Row> scored) {
    long right = scored.filter("prediction = label").count();
    return (double) right / scored.count();
  }

  private static java.util.Set<Path> modelScratchDirs() throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(
        Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("sparkps-model-"))
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  @Test
  void classifierFitsTransformsAndPersists(@TempDir Path tmp) throws Exception {
    Dataset d = TestData.breastCancer();
    org.apache.spark.sql.Dataset<Row> df = frame(d.block());
    SparkPSClassifier est = new SparkPSClassifier();
    est.setModelType("logistic").setMaxIter(8).setWorkers(2).setStepSize(0.05);
    SparkPSClassificationModel model = est.fit(df);
    org.apache.spark.sql.Dataset<Row> scored = model.transform(df);
    double acc = accuracy(scored);
    assertTrue(acc > 0.96, "training accuracy " + acc);
    Vector p = scored.select("probability").first().getAs(0);
    assertEquals(2, p.size());
    assertEquals(1.0, p.apply(0) + p.apply(1), 1e-6);

    String path = tmp.resolve("clf").toString();
    java.util.Set<Path> before = modelScratchDirs();
    model.write().save(path);
    SparkPSClassificationModel back = SparkPSClassificationModel.load(path);
    assertEquals(before, modelScratchDirs(), "save and load leave no local scratch folder");
    assertArrayEquals(model.parameters(), back.parameters());
    assertEquals(model.uid(), back.uid());
    assertEquals(acc, accuracy(back.transform(df)));
  }

  @Test
  void overlapWithLocalStepsFitsAndWithoutThemIsRefused() {
    org.apache.spark.sql.Dataset<Row> df = frame(TestData.breastCancer().block());
    SparkPSClassifier est = new SparkPSClassifier();
    est.setModelType("logistic").setMaxIter(8).setWorkers(2).setStepSize(0.05);
    est.setLocalSteps(2).setOverlap(true);
    double acc = accuracy(est.fit(df).transform(df));
    assertTrue(acc > 0.96, "training accuracy with overlapped rounds " + acc);
    est.setLocalSteps(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.fit(df));
    assertTrue(e.getMessage().startsWith("overlap needs local steps"), e.getMessage());
  }

  @Test
  void savedModelDataIsASparkPsModelDirectory(@TempDir Path tmp) throws Exception {
    SparkPSRegressor reg = new SparkPSRegressor();
    reg.setMaxIter(8).setWorkers(2).setStepSize(0.1).setBatchSize(32);
    reg.setOptimizer("sgd");
    ExampleBlock boston = TestData.boston().block();
    SparkPSRegressionModel model = reg.fit(frame(boston));
    String path = tmp.resolve("reg").toString();
    model.write().save(path);
    assertArrayEquals(model.parameters(), ModelFile.read(Path.of(path, "data")).params());
    try (var entries = java.nio.file.Files.list(Path.of(path))) {
      assertEquals(List.of("data", "metadata"), entries.map(p -> p.getFileName().toString())
          .sorted().toList(), "the model data is renamed into place, no temporary copy left");
    }
    double rmse = Math.sqrt(model.transform(frame(boston))
        .selectExpr("avg((prediction - label) * (prediction - label))").first().getDouble(0));
    assertTrue(rmse < 6.0, "Boston training RMSE " + rmse);
  }

  @Test
  void pipelineWithTheClassifierSavesAndLoads(@TempDir Path tmp) throws Exception {
    Dataset iris = TestData.iris();
    SparkPSClassifier clf = new SparkPSClassifier();
    clf.setModelType("softmax").setMaxIter(15).setWorkers(2).setStepSize(0.1).setBatchSize(16);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {clf});
    PipelineModel fitted = pipeline.fit(frame(iris.block()));
    String path = tmp.resolve("pipe").toString();
    fitted.write().save(path);
    PipelineModel back = PipelineModel.load(path);
    double acc = accuracy(back.transform(frame(iris.block())));
    assertTrue(acc > 0.93, "iris training accuracy " + acc);
  }

  @Test
  void badLabelsAndMissingColumnsAreExplained() {
    ExampleBlock b = new ExampleBlock(2, 1, new float[] {1, 2}, new float[] {0.5f, 1});
    SparkPSClassifier clf = new SparkPSClassifier();
    clf.setWorkers(1);
    Exception e = assertThrows(Exception.class, () -> clf.fit(frame(b)));
    assertTrue(String.valueOf(rootMessage(e)).contains("label 0.5 is not a class index"),
        rootMessage(e));
    IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
        () -> clf.setFeaturesCol("x").transformSchema(frame(b).schema()));
    assertTrue(m.getMessage().contains("has no column 'x'"), m.getMessage());
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
