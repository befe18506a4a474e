package io.sparkps.core.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Vector API backend computes what the scalar loops compute, to float rounding. */
class VectorBackendTest {

  static Stream<ModelSpec> specs() {
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

  @ParameterizedTest
  @MethodSource("specs")
  void vectorAndScalarLoopsAgree(ModelSpec spec) {
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
