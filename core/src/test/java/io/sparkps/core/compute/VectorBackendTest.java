package io.sparkps.core.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.DenseSpec;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Vector API backend computes what the scalar loops compute, to float rounding. */
class VectorBackendTest {

  static Stream<DenseSpec> specs() {
    return Stream.of(ModelSpec.logistic(28), ModelSpec.softmax(28, 5),
        ModelSpec.mlp(28, List.of(64, 64), Activation.RELU, Task.BINARY, 2,
            new Loss.SquaredError()),
        ModelSpec.mlp(28, List.of(13, 7), Activation.TANH, Task.MULTICLASS, 3,
            new Loss.SquaredError()),
        // tiled kernels with columns left over (41 = one tile of 32 + 9 with AVX2), an odd
        // inner width (41) and a wide output layer
        ModelSpec.mlp(28, List.of(41, 72), Activation.RELU, Task.MULTICLASS, 33,
            new Loss.SquaredError()));
  }

  /**
   * One-output layers of any width: below one vector (3), whole vectors (8, 32, 64), whole
   * vectors and columns after them (28, 41, 123), with AVX2's 8 lanes and AVX-512's 16.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {3, 8, 28, 32, 41, 64, 123})
  void oneOutputLayersOfEveryWidthAgree(int width) {
    java.util.Random rnd = new java.util.Random(width);
    int rows = 131;
    float[] x = new float[rows * width];
    float[] y = new float[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = rnd.nextBoolean() ? 1f : 0f;
    }
    ExampleBlock b = new ExampleBlock(rows, width, x, y);
    for (ModelSpec spec : List.of(ModelSpec.logistic(width),
        ModelSpec.linear(width, new Loss.SquaredError()))) {
      Model cpu = spec.build();
      Model vec = spec.build(ComputeBackends.byName("vector"));
      float[] p = new float[cpu.parameterCount()];
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) Math.sin(i + 1);
      }
      float[] g1 = new float[p.length];
      float[] g2 = new float[p.length];
      // rows 5 to 131 of the block: an offset into it, as minibatches read it
      double l1 = cpu.lossAndGradient(p, b, 5, rows, g1, cpu.newWorkspace(rows));
      double l2 = vec.lossAndGradient(p, b, 5, rows, g2, vec.newWorkspace(rows));
      assertEquals(l1, l2, 1e-5 * Math.abs(l1), spec + " loss");
      double scale = 0;
      for (float g : g1) {
        scale = Math.max(scale, Math.abs(g));
      }
      for (int i = 0; i < p.length; i++) {
        assertEquals(g1[i], g2[i], 1e-5 * scale, spec + " gradient " + i);
      }
    }
  }

  /**
   * The vectorized log loss against the scalar formula, over extreme logits (where e^s
   * overflows or underflows) and random ones, with rows after the last whole vector.
   */
  @org.junit.jupiter.api.Test
  void vectorLogLossAgreesWithTheScalarFormula() {
    float[] extreme = {-200f, -88f, -50f, -20f, -1f, -1e-3f, 0f, 1e-3f, 1f, 20f, 50f, 88f, 200f};
    java.util.Random rnd = new java.util.Random(3);
    int n = 77;
    float[] z = new float[n];
    float[] y = new float[n + 4];
    for (int i = 0; i < n; i++) {
      z[i] = i < extreme.length ? extreme[i] : (float) (rnd.nextGaussian() * 4);
      y[i + 4] = rnd.nextBoolean() ? 1f : 0f;
    }
    float[] d1 = new float[n];
    float[] d2 = new float[n];
    double l1 = CpuBackend.INSTANCE.logLoss(z, n, y, 4, d1);
    double l2 = ComputeBackends.byName("vector").logLoss(z, n, y, 4, d2);
    assertEquals(l1, l2, 1e-5 * Math.abs(l1));
    for (int i = 0; i < n; i++) {
      assertEquals(d1[i], d2[i], 1e-6, "delta of logit " + z[i]);
      double one = Logistic.lossAndDelta(z[i], y[i + 4], new float[1], 0);
      assertTrue(Double.isFinite(one), "finite loss at " + z[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("specs")
  void vectorAndScalarLoopsAgree(DenseSpec spec) {
    assertTrue(ComputeBackends.vectorAvailable(), "tests run with the vector module");
    ComputeBackend vector = ComputeBackends.byName("vector");
    assertEquals("vector", vector.name());
    assertEquals("vector", ComputeBackends.byName("auto").name());
    ExampleBlock b = SynthData.block(257);
    Model cpu = spec.build();
    Model vec = spec.build(vector);
    float[] p = new float[cpu.parameterCount()];
    cpu.initialize(p, 11);
    if (spec.hidden().isEmpty()) {
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) Math.sin(i);
      }
    }
    float[] g1 = new float[p.length];
    float[] g2 = new float[p.length];
    double l1 = cpu.lossAndGradient(p, b, 0, b.rows(), g1, cpu.newWorkspace(b.rows()));
    double l2 = vec.lossAndGradient(p, b, 0, b.rows(), g2, vec.newWorkspace(b.rows()));
    assertEquals(l1, l2, 1e-4 * Math.abs(l1));
    double scale = 0;
    for (float g : g1) {
      scale = Math.max(scale, Math.abs(g));
    }
    for (int i = 0; i < p.length; i++) {
      assertEquals(g1[i], g2[i], 1e-4 * scale, "gradient " + i);
    }
  }
}
