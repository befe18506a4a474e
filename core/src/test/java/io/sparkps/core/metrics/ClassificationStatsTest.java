package io.sparkps.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationStatsTest {

  private static final int N = 4000;

  /** Seeded binary data: labels and P(y=1) that is informative but noisy. */
  private static float[][] binaryData(long seed) {
    Random rnd = new Random(seed);
    float[] labels = new float[N];
    float[] probs = new float[N];
    for (int i = 0; i < N; i++) {
      labels[i] = rnd.nextBoolean() ? 1 : 0;
      double logit = 1.5 * (labels[i] - 0.5) * 2 + rnd.nextGaussian() * 1.5;
      probs[i] = (float) (1 / (1 + Math.exp(-logit)));
    }
    return new float[][] {labels, probs};
  }

  @Test
  void binaryStatsAgreeWithExactFunctions() {
    float[][] d = binaryData(7);
    ClassificationMetrics m = ClassificationStats.binary().addAll(d[0], d[1]).result();
    int[] predicted = Metrics.predictedClasses(d[1], 1);
    assertEquals(N, m.count());
    assertEquals(Metrics.accuracy(d[0], predicted), m.accuracy(), 1e-15);
    assertEquals(Metrics.logLoss(d[0], d[1]), m.logLoss(), 1e-12);
    assertArrayEquals(Metrics.confusionMatrix(d[0], predicted, 2)[0], m.confusion()[0]);
    assertArrayEquals(Metrics.confusionMatrix(d[0], predicted, 2)[1], m.confusion()[1]);
    double exact = Metrics.auc(d[0], d[1]);
    assertEquals(exact, m.auc().getAsDouble(), 1e-3, "histogram AUC vs exact " + exact);
  }

  @Test
  void mergingTwoHalvesEqualsTheWhole() {
    float[][] d = binaryData(11);
    ClassificationStats whole = ClassificationStats.binary().addAll(d[0], d[1]);
    int h = N / 2;
    ClassificationStats first = ClassificationStats.binary()
        .addAll(Arrays.copyOf(d[0], h), Arrays.copyOf(d[1], h));
    ClassificationStats second = ClassificationStats.binary()
        .addAll(Arrays.copyOfRange(d[0], h, N), Arrays.copyOfRange(d[1], h, N));
    ClassificationMetrics merged = first.merge(second).result();
    ClassificationMetrics expected = whole.result();
    assertEquals(expected.count(), merged.count());
    assertEquals(expected.accuracy(), merged.accuracy());
    assertEquals(expected.logLoss(), merged.logLoss(), 1e-12);
    assertEquals(expected.auc().getAsDouble(), merged.auc().getAsDouble(), 1e-15);
    assertArrayEquals(expected.confusion()[1], merged.confusion()[1]);
  }

  @Test
  void multiclassStatsAgreeWithExactFunctionsAndHaveNoAuc() {
    Random rnd = new Random(3);
    int k = 3;
    float[] labels = new float[N];
    float[] probs = new float[N * k];
    for (int i = 0; i < N; i++) {
      labels[i] = rnd.nextInt(k);
      double sum = 0;
      for (int j = 0; j < k; j++) {
        probs[i * k + j] = (float) (rnd.nextDouble() + (j == labels[i] ? 0.5 : 0));
        sum += probs[i * k + j];
      }
      for (int j = 0; j < k; j++) {
        probs[i * k + j] /= (float) sum;
      }
    }
    ClassificationMetrics m = ClassificationStats.multiclass(k).addAll(labels, probs).result();
    int[] predicted = Metrics.predictedClasses(probs, k);
    assertEquals(Metrics.accuracy(labels, predicted), m.accuracy(), 1e-15);
    assertEquals(Metrics.logLoss(labels, probs, k), m.logLoss(), 1e-12);
    assertArrayEquals(Metrics.confusionMatrix(labels, predicted, k)[2], m.confusion()[2]);
    assertFalse(m.auc().isPresent());
    assertEquals(List.of("accuracy", "logLoss"), List.copyOf(m.toMap().keySet()));
  }

  @Test
  void binaryMapHasExactlyTheDocumentedKeys() {
    float[][] d = binaryData(5);
    ClassificationMetrics m = ClassificationStats.binary().addAll(d[0], d[1]).result();
    assertEquals(List.of("accuracy", "logLoss", "auc"), List.copyOf(m.toMap().keySet()));
    assertEquals(m.accuracy(), m.toMap().get("accuracy"));
  }

  @Test
  void survivesJavaSerializationAsSparkShipsIt() throws Exception {
    float[][] d = binaryData(9);
    ClassificationStats stats = ClassificationStats.binary().addAll(d[0], d[1]);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stats);
    }
    ClassificationStats copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ClassificationStats) in.readObject();
    }
    assertEquals(stats.result().toMap(), copy.result().toMap());
  }

  @Test
  void refusesMismatchedMergesAndEmptyResults() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassificationStats.binary().merge(ClassificationStats.multiclass(3)));
    assertEquals("cannot merge statistics of a 3-class classifier into statistics of a binary "
        + "classifier; build both with the same factory", e.getMessage());
    assertThrows(IllegalStateException.class, () -> ClassificationStats.multiclass(4).result());
  }
}
