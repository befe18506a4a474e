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
}
