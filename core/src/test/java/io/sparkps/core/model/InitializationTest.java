package io.sparkps.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InitializationTest {

  private static double[] meanVar(float[] p, ParameterLayout.Segment s) {
    double m = 0;
    double v = 0;
    for (int i = s.offset(); i < s.offset() + s.size(); i++) {
      m += p[i];
    }
    m /= s.size();
    for (int i = s.offset(); i < s.offset() + s.size(); i++) {
      v += (p[i] - m) * (p[i] - m);
    }
    return new double[] {m, v / s.size()};
  }

  @Test
  void heForRectifiersGlorotOtherwiseZeroBiases() {
    DenseModel relu = ModelSpec.mlp(200, List.of(300), Activation.RELU, Task.BINARY, 2,
        new Loss.SquaredError()).build();
    float[] p = new float[relu.parameterCount()];
    relu.initialize(p, 1);
    double[] he = meanVar(p, relu.layout().weights(0));
    assertEquals(0, he[0], 0.01);
    assertEquals(2.0 / 200, he[1], 0.05 * 2.0 / 200, "He variance 2 / fanIn");
    double[] glorotOut = meanVar(p, relu.layout().weights(1));
    assertEquals(2.0 / (300 + 1), glorotOut[1], 0.2 * 2.0 / 301, "output layer: Glorot");
    assertEquals(0, meanVar(p, relu.layout().biases(0))[1]);

    DenseModel tanh = ModelSpec.mlp(200, List.of(300), Activation.TANH, Task.BINARY, 2,
        new Loss.SquaredError()).build();
    float[] q = new float[tanh.parameterCount()];
    tanh.initialize(q, 1);
    assertEquals(2.0 / 500, meanVar(q, tanh.layout().weights(0))[1], 0.05 * 2.0 / 500,
        "Glorot variance 2 / (fanIn + fanOut)");
  }

  @Test
  void seededAndConvexModelsStartAtZero() {
    Model m = ModelSpec.mlp(5, List.of(4, 3), Activation.TANH, Task.MULTICLASS, 3,
        new Loss.SquaredError()).build();
    float[] a = new float[m.parameterCount()];
    float[] b = new float[m.parameterCount()];
    m.initialize(a, 77);
    m.initialize(b, 77);
    assertArrayEquals(a, b);
    Model logistic = ModelSpec.logistic(5).build();
    float[] z = new float[logistic.parameterCount()];
    java.util.Arrays.fill(z, 3f);
    logistic.initialize(z, 77);
    assertTrue(java.util.Arrays.equals(z, new float[6]), "convex models start at zero");
  }

  @Test
  void eachSparseModelsKeyRowIsTheRowItsDenseInitializationWrites() {
    List<SparseModel> models = List.of(
        new SparseLinearSpec(50, 3, new Loss.CrossEntropy()).build(),
        FmSpec.of(50, 4, new Loss.LogLoss()).build(),
        WideDeepSpec.of(50, 2, 3, List.of(4), Activation.RELU, new Loss.LogLoss()).build());
    for (SparseModel m : models) {
      float[] dense = new float[m.parameterCount()];
      m.initialize(dense, 9);
      int w = m.rowWidth();
      float[] row = new float[w + 2];
      java.util.Arrays.fill(row, 7f);
      for (int key = 0; key < m.keys(); key++) {
        m.initializeRow(row, 1, key, 9);
        assertArrayEquals(java.util.Arrays.copyOfRange(dense, key * w, key * w + w),
            java.util.Arrays.copyOfRange(row, 1, 1 + w), m.getClass().getSimpleName() + " key "
            + key);
      }
      assertEquals(7f, row[0], "the row is written at its offset only");
      assertEquals(7f, row[w + 1]);
    }
    float[] a = new float[5];
    FmSpec.of(50, 4, new Loss.LogLoss()).build().initializeRow(a, 0, 1L << 40, 9);
    assertTrue(a[1] != 0f, "keys beyond the int range have seeded factors too");
  }
}
