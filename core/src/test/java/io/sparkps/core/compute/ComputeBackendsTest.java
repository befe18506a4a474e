package io.sparkps.core.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.SynthData;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeBackendsTest {

  @Test
  void cpuIsBuiltInAndOthersComeFromServiceLoader() {
    assertSame(CpuBackend.INSTANCE, ComputeBackends.byName("cpu"));
    ComputeBackend counting = ComputeBackends.byName("counting");
    ModelSpec spec = ModelSpec.mlp(28, List.of(16), Activation.RELU, Task.BINARY, 2,
        new Loss.SquaredError());
    ExampleBlock b = SynthData.block(300);
    Model cpu = spec.build();
    Model viaService = spec.build(counting);
    float[] p = new float[cpu.parameterCount()];
    cpu.initialize(p, 3);
    float[] g1 = new float[p.length];
    float[] g2 = new float[p.length];
    long before = CountingBackend.CALLS.get();
    double l1 = cpu.lossAndGradient(p, b, 0, 300, g1, cpu.newWorkspace(300));
    double l2 = viaService.lossAndGradient(p, b, 0, 300, g2, viaService.newWorkspace(300));
    assertEquals(l1, l2);
    assertArrayEquals(g1, g2);
    assertTrue(CountingBackend.CALLS.get() - before >= 4, "the model ran on the chosen backend");
  }

  @Test
  void unknownBackendListsTheAvailableOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ComputeBackends.byName("cuda"));
    assertEquals("no compute backend named 'cuda'; available: [cpu, vector, auto, counting] "
        + "(a GPU backend is added by putting its jar on the classpath)", e.getMessage());
  }
}
