package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.core.TestData;
import io.sparkps.core.data.CsvOptions;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.LocalDataReader;
import io.sparkps.core.metrics.ModelEvaluator;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Distributed evaluation equals the in-process evaluator on all rows. */
class SparkEvaluationTest {
  private static final CsvOptions SKLEARN = new CsvOptions(',', 1, false, "-1");

  private final SparkDataLoader loader = new SparkDataLoader(SparkTestSession.get());

  private static float[] params(ModelSpec spec, long seed) {
    Model m = spec.build();
    float[] p = new float[m.parameterCount()];
    m.initialize(p, seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < p.length; i++) {
      p[i] += (float) (rng.nextDouble() - 0.5) * 0.2f;
    }
    return p;
  }

  private void assertSameMetrics(String file, CsvOptions csv, Task task, ModelSpec spec) {
    String path = TestData.dir().resolve(file).toString();
    Dataset local = LocalDataReader.readCsv(java.nio.file.Path.of(path), csv, task);
    SparkDataset ds = loader.load(LoadRequest.of(path, task, 2).withCsv(csv)
        .withStandardization(Standardization.none()));
    float[] p = params(spec, 3);
    Map<String, Double> expected = ModelEvaluator.evaluate(spec.build(), p, local.block());
    Map<String, Double> actual = SparkEvaluation.evaluate(ds.train(), spec, p);
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertEquals(v, actual.get(k),
        k.equals("auc") ? 1e-3 : 1e-9 * Math.max(1, Math.abs(v)), k));
    ds.unpersist();
  }

  @Test
  void binaryClassification() {
    assertSameMetrics("breast_cancer.csv", SKLEARN, Task.BINARY, ModelSpec.mlp(30, List.of(8),
        Activation.parse("tanh"), Task.BINARY, 2, new Loss.SquaredError()));
  }

  @Test
  void multiclassClassification() {
    assertSameMetrics("iris.csv", SKLEARN, Task.MULTICLASS, ModelSpec.softmax(4, 3));
  }

  @Test
  void regression() {
    assertSameMetrics("boston_house_prices.csv", new CsvOptions(',', 1, true, "MEDV"),
        Task.REGRESSION, ModelSpec.linear(13, new Loss.SquaredError()));
  }
}
