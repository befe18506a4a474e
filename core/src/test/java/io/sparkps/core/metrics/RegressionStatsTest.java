package io.sparkps.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegressionStatsTest {

  @Test
  void tinyExampleByHand() {
    // residuals 0, 0, 0, 1: SSres = 1; labels mean 2.5, SStot = 5
    RegressionMetrics m = new RegressionStats()
        .addAll(new float[] {1, 2, 3, 4}, new float[] {1, 2, 3, 5}).result();
    assertEquals(4, m.count());
    assertEquals(0.5, m.rmse(), 1e-15);
    assertEquals(0.25, m.mae(), 1e-15);
    assertEquals(0.8, m.r2(), 1e-15);
    assertEquals(List.of("rmse", "mae", "r2"), List.copyOf(m.toMap().keySet()));
  }

  @Test
  void agreesWithExactFunctionsAndMergesHalvesIntoTheWhole() {
    Random rnd = new Random(1);
    int n = 10_001;
    float[] y = new float[n];
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) (1000 + 10 * rnd.nextGaussian());  // far from zero: tests the variance update
      p[i] = (float) (y[i] + rnd.nextGaussian());
    }
    RegressionMetrics whole = new RegressionStats().addAll(y, p).result();
    assertEquals(Metrics.rmse(y, p), whole.rmse(), 1e-9);
    assertEquals(Metrics.mae(y, p), whole.mae(), 1e-9);
    assertEquals(Metrics.r2(y, p), whole.r2(), 1e-9);

    int h = 3333;
    RegressionMetrics merged = new RegressionStats()
        .addAll(Arrays.copyOf(y, h), Arrays.copyOf(p, h))
        .merge(new RegressionStats().addAll(Arrays.copyOfRange(y, h, n), Arrays.copyOfRange(p, h, n)))
        .merge(new RegressionStats())
        .result();
    assertEquals(whole.count(), merged.count());
    assertEquals(whole.rmse(), merged.rmse(), 1e-12);
    assertEquals(whole.mae(), merged.mae(), 1e-12);
    assertEquals(whole.r2(), merged.r2(), 1e-12);
  }

  @Test
  void mergingIntoAnEmptyAccumulatorCopiesTheOther() {
    RegressionStats part = new RegressionStats().addAll(new float[] {1, 3}, new float[] {2, 2});
    RegressionMetrics m = new RegressionStats().merge(part).result();
    assertEquals(1.0, m.rmse(), 1e-15);
    assertEquals(1 - 2.0 / 2.0, m.r2(), 1e-15);
  }

  @Test
  void constantLabelsHaveNoR2() {
    RegressionMetrics m = new RegressionStats().addAll(new float[] {2, 2}, new float[] {2, 3}).result();
    assertTrue(Double.isNaN(m.r2()));
  }
}
