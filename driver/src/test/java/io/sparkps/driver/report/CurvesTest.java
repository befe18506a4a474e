package io.sparkps.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.metrics.Metrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The report's curves against hand-computed points and core's exact AUC. */
class CurvesTest {

  @Test
  void rocAndPrecisionRecallOfASmallCaseByHand() {
    float[] y = {1, 0, 1, 0};
    float[] s = {0.9f, 0.8f, 0.7f, 0.1f};
    Curves.Curve roc = Curves.roc(y, s);
    assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.x(), 1e-12);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.y(), 1e-12);
    assertEquals(0.75, roc.area(), 1e-12);
    Curves.Curve pr = Curves.precisionRecall(y, s);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, pr.x(), 1e-12);
    assertArrayEquals(new double[] {1, 1, 0.5, 2 / 3.0, 0.5}, pr.y(), 1e-12);
    // average precision: 0.5 * 1 + 0.5 * 2/3
    assertEquals(0.5 + 1 / 3.0, pr.area(), 1e-12);
  }

  @Test
  void rocAreaWithTiesIsTheExactAucAndLongCurvesAreThinned() {
    Random r = new Random(11);
    int n = 5000;
    float[] y = new float[n];
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.3 ? 1 : 0;
      s[i] = Math.round((y[i] + r.nextGaussian()) * 20) / 20f; // many ties
    }
    Curves.Curve roc = Curves.roc(y, s);
    assertEquals(Metrics.auc(y, s), roc.area(), 1e-9);
    assertTrue(roc.x().length <= Curves.MAX_POINTS + 1, "thinned: " + roc.x().length);
    assertEquals(1.0, roc.x()[roc.x().length - 1], 1e-12, "the curve ends at (1, 1)");
    assertEquals(1.0, roc.y()[roc.y().length - 1], 1e-12);
  }

  @Test
  void oneClassOnlyHasNoArea() {
    assertTrue(Double.isNaN(Curves.roc(new float[] {1, 1}, new float[] {0.2f, 0.4f}).area()));
    assertTrue(Double.isNaN(Curves.precisionRecall(new float[] {0, 0},
        new float[] {0.2f, 0.4f}).area()));
  }
}
