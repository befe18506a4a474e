package io.sparkps.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.SparseLinearSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.FeatureHasher;
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
 * The estimators on MLlib's sparse features: a FeatureHasher's 2^18-slot SparseVectors train a
 * sparse logistic regression and a factorization machine without densifying, and the pipeline
 * scores, saves and reloads the same.
 */
class SparseEstimatorTest {
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = io.sparkps.driver.data.SparkTestSession.get();
  }

  static Dataset<Row> clicks(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int site = rng.nextInt(8);
      int app = rng.nextInt(6);
      double score = (site % 2 == app % 2 ? 2.0 : -2.0) + (site == 3 ? 0.8 : 0);
      double y = rng.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      rows.add(RowFactory.create("s" + site, "a" + app, y));
    }
    StructType schema = new StructType().add("site", DataTypes.StringType)
        .add("app", DataTypes.StringType).add("label", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static double accuracy(Dataset<Row> scored) {
    return (double) scored.filter("prediction = label").count() / scored.count();
  }

  @Test
  void hashedSparseVectorsTrainSparseModelsInAPipeline(@TempDir Path tmp) throws Exception {
    FeatureHasher hasher = new FeatureHasher().setInputCols(new String[] {"site", "app"})
        .setOutputCol("features").setNumFeatures(1 << 18);
    SparkPSClassifier fm = new SparkPSClassifier();
    fm.setModelType("fm").setFactors(4).setMaxIter(10).setStepSize(0.05).setWorkers(2);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {hasher, fm})
        .fit(clicks(2000, 1));
    SparkPSClassificationModel trained = (SparkPSClassificationModel) model.stages()[1];
    assertTrue(trained.spec() instanceof FmSpec, trained.spec().toString());
    assertEquals((1 << 18) * 5 + 1, trained.parameters().length);
    Dataset<Row> test = clicks(1000, 2);
    double acc = accuracy(model.transform(test));
    assertTrue(acc > 0.8, "the fm finds the site-app pairs: accuracy " + acc);

    SparkPSClassifier lr = new SparkPSClassifier();
    lr.setModelType("logistic").setMaxIter(5).setWorkers(2);
    PipelineModel linear = new Pipeline().setStages(new PipelineStage[] {hasher, lr})
        .fit(clicks(2000, 1));
    assertTrue(((SparkPSClassificationModel) linear.stages()[1]).spec()
        instanceof SparseLinearSpec);
    double lrAcc = accuracy(linear.transform(test));
    assertTrue(lrAcc < acc, "logistic " + lrAcc + " cannot express the pairs the fm learns "
        + acc);

    SparkPSClassifier mlp = new SparkPSClassifier();
    mlp.setModelType("mlp").setMaxIter(1).setWorkers(2);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new Pipeline().setStages(
            new PipelineStage[] {hasher, mlp}).fit(clicks(100, 1)));
    assertTrue(e.getMessage().contains("sparse vectors of 262144 slots"), e.getMessage());

    String path = tmp.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel back = PipelineModel.load(path);
    List<Row> a = model.transform(test).select("probability").collectAsList();
    List<Row> b = back.transform(test).select("probability").collectAsList();
    assertEquals(a, b, "the reloaded pipeline scores the same");
  }
}
