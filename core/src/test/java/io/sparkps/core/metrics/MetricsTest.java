package io.sparkps.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void accuracyCountsMatchingClasses() {
    assertEquals(0.75, Metrics.accuracy(new float[] {0, 1, 2, 1}, new int[] {0, 1, 2, 0}));
  }

  @Test
  void predictedClassesThresholdsBinaryAndTakesArgmaxOtherwise() {
    assertArrayEquals(new int[] {0, 1, 1}, Metrics.predictedClasses(new float[] {0.2f, 0.5f, 0.9f}, 1));
    assertArrayEquals(new int[] {2, 0},
        Metrics.predictedClasses(new float[] {0.1f, 0.2f, 0.7f, 0.5f, 0.5f, 0f}, 3));
  }

  @Test
  void binaryLogLossByHand() {
    // -(ln 0.8 + ln 0.6) / 2
    double expected = -(Math.log(0.8) + Math.log(0.6)) / 2;
    assertEquals(expected, Metrics.logLoss(new float[] {1, 0}, new float[] {0.8f, 0.4f}), 1e-7);
  }

  @Test
  void logLossClipsCertainMistakes() {
    assertEquals(-Math.log(1e-15), Metrics.logLoss(new float[] {1}, new float[] {0f}), 1e-9);
    assertEquals(-Math.log(1e-15), Metrics.logLoss(new float[] {0}, new float[] {1f}), 1e-2);
    assertEquals(-Math.log(1e-15), Metrics.logLoss(new float[] {0, 1}, new float[] {0, 1, 1, 0}, 2),
        1e-9);
  }

  @Test
  void multiclassLogLossByHand() {
    float[] probs = {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f};
    double expected = -(Math.log(0.7f) + Math.log(0.8f)) / 2;
    assertEquals(expected, Metrics.logLoss(new float[] {0, 2}, probs, 3), 1e-12);
  }

  @Test
  void aucByHand() {
    // pairs (pos, neg): (0.35 > 0.1), (0.35 < 0.4), (0.8 > 0.1), (0.8 > 0.4) -> 3 of 4
    assertEquals(0.75, Metrics.auc(new float[] {0, 0, 1, 1}, new float[] {0.1f, 0.4f, 0.35f, 0.8f}));
    // one tie counts one half
    assertEquals(0.5, Metrics.auc(new float[] {0, 1}, new float[] {0.3f, 0.3f}));
    assertTrue(Double.isNaN(Metrics.auc(new float[] {1, 1}, new float[] {0.3f, 0.4f})));
  }

  @Test
  void aucMatchesBruteForcePairCountingWithTies() {
    Random rnd = new Random(42);
    int n = 500;
    float[] labels = new float[n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
      // rounded to one decimal: many ties, and positives score a little higher
      scores[i] = Math.round((rnd.nextDouble() + 0.3 * labels[i]) * 10) / 10f;
    }
    assertEquals(bruteForceAuc(labels, scores), Metrics.auc(labels, scores), 1e-12);
  }

  static double bruteForceAuc(float[] labels, float[] scores) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < labels.length; i++) {
      for (int j = 0; j < labels.length; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  @Test
  void confusionMatrixRowsAreTrueClasses() {
    long[][] m = Metrics.confusionMatrix(new float[] {0, 0, 1, 2, 2}, new int[] {0, 1, 1, 2, 0}, 3);
    assertArrayEquals(new long[] {1, 1, 0}, m[0]);
    assertArrayEquals(new long[] {0, 1, 0}, m[1]);
    assertArrayEquals(new long[] {1, 0, 1}, m[2]);
  }

  @Test
  void regressionMetricsByHand() {
    float[] y = {1, 2, 3, 4};
    float[] p = {1, 2, 3, 5};
    // SSres = 1, mean 2.5, SStot = 2.25 + 0.25 + 0.25 + 2.25 = 5
    assertEquals(0.5, Metrics.rmse(y, p), 1e-15);
    assertEquals(0.25, Metrics.mae(y, p), 1e-15);
    assertEquals(0.8, Metrics.r2(y, p), 1e-15);
    assertTrue(Double.isNaN(Metrics.r2(new float[] {3, 3}, new float[] {3, 4})));
  }

  @Test
  void errorsNameTheValueAndTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.logLoss(new float[] {2}, new float[] {0.5f}));
    assertEquals("binary label of row 0 must be 0 or 1, got 2.0; map the classes to 0 and 1 "
        + "before evaluating", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.rmse(new float[] {1, 2}, new float[] {1}));
    assertEquals("got 2 labels but 1 predictions; pass one prediction per label", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.logLoss(new float[] {1}, new float[] {3.5f}));
    assertTrue(e.getMessage().contains("got 3.5; pass probabilities"), e.getMessage());
  }
}
