package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.core.TestData;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * Gradient descent on the squared error must land on the least-squares answer. References
 * (scikit-learn 1.2, all rows): Boston R^2 0.7406, intercept 36.4595; diabetes R^2 0.5177,
 * intercept -334.567.
 */
class LinearRegressionTest {

  @Test
  void closedFormReproducesTheReferenceOnBoston() {
    ExampleBlock b = TestData.boston().block();
    double[] coef = LeastSquares.fit(b);
    assertEquals(36.4595, coef[0], 1e-3);
    assertEquals(0.7406, r2(LeastSquares.predict(coef, b), b), 5e-5);
  }

  @Test
  void closedFormReproducesTheReferenceOnDiabetes() {
    ExampleBlock b = TestData.diabetes();
    double[] coef = LeastSquares.fit(b);
    assertEquals(-334.567, coef[0], 1e-2);
    assertEquals(0.5177, r2(LeastSquares.predict(coef, b), b), 5e-5);
  }

  @Test
  void trainedLinearModelMatchesLeastSquaresOnBoston() {
    assertMatchesLeastSquares(TestData.boston().block(), 0.7406);
  }

  @Test
  void trainedLinearModelMatchesLeastSquaresOnDiabetes() {
    assertMatchesLeastSquares(TestData.diabetes(), 0.5177);
  }

  private static void assertMatchesLeastSquares(ExampleBlock raw, double referenceR2) {
    double[] ols = LeastSquares.predict(LeastSquares.fit(raw), raw);
    ExampleBlock b = raw.select(allRows(raw.rows()));
    Standardizer.fit(b).applyInPlace(b);
    Model model = ModelSpec.linear(b.cols(), new Loss.SquaredError()).build();
    TrainingConfig cfg = new TrainingConfig(4000, b.rows(),
        new Sgd(new LearningRateSchedule.Constant(0.2)), Regularizer.NONE, 0, 1, 0, 0);
    float[] params = new ReferenceTrainer(model, cfg).fit(b, s -> { }).params();
    float[] pred = new float[b.rows()];
    model.predict(params, b, 0, b.rows(), pred, model.newWorkspace(b.rows()));
    double[] p = new double[pred.length];
    double maxDiff = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = pred[i];
      maxDiff = Math.max(maxDiff, Math.abs(p[i] - ols[i]));
    }
    assertEquals(referenceR2, r2(p, b), 5e-4);
    assertEquals(0, maxDiff, 0.01 * standardDeviation(b.labels()),
        "predictions should agree with least squares within 1% of the target's spread");
  }

  private static int[] allRows(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }

  private static double standardDeviation(float[] y) {
    double m = 0;
    for (float v : y) {
      m += v;
    }
    m /= y.length;
    double s = 0;
    for (float v : y) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / y.length);
  }

  static double r2(double[] pred, ExampleBlock b) {
    float[] y = b.labels();
    double mean = 0;
    for (int i = 0; i < b.rows(); i++) {
      mean += y[i];
    }
    mean /= b.rows();
    double res = 0;
    double tot = 0;
    for (int i = 0; i < b.rows(); i++) {
      res += (y[i] - pred[i]) * (y[i] - pred[i]);
      tot += (y[i] - mean) * (y[i] - mean);
    }
    return 1 - res / tot;
  }
}
