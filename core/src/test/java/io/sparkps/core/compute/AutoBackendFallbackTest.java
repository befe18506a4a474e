package io.sparkps.core.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --backend auto} in JVMs started with and without {@code jdk.incubator.vector}: a JVM
 * without the module (an executor whose options lack it) falls back to the scalar kernels and
 * trains, instead of failing; one with it takes the Vector API. Each case runs in a fresh JVM,
 * as an executor would.
 */
class AutoBackendFallbackTest {

  /** Child JVM: resolves auto, computes a logistic gradient with it, prints name and value. */
  public static void main(String[] args) {
    ComputeBackend b = ComputeBackends.byName("auto");
    io.sparkps.core.model.Model m = io.sparkps.core.model.ModelSpec.logistic(3).build(b);
    float[] params = {0.5f, -0.25f, 1f, 0.1f};
    io.sparkps.core.data.ExampleBlock block = new io.sparkps.core.data.ExampleBlock(2, 3,
        new float[] {1, 2, 3, -1, 0, 1}, new float[] {1, 0});
    float[] grad = new float[params.length];
    double loss = new io.sparkps.core.model.Objective(m, io.sparkps.core.model.Regularizer.NONE)
        .valueAndGradient(params, block, 0, 2, grad, m.newWorkspace(2));
    System.out.println(b.name() + " " + String.format(java.util.Locale.ROOT, "%.6f", loss));
    System.out.println(ComputeBackends.describe("auto"));
  }

  private static List<String> run(boolean withVector) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (withVector) {
      cmd.add("--add-modules");
      cmd.add("jdk.incubator.vector");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        AutoBackendFallbackTest.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out.lines().filter(l -> !l.startsWith("WARNING")).toList();
  }

  @Test
  void withoutTheModuleAutoFallsBackToCpuAndComputesTheSameLoss() throws Exception {
    List<String> without = run(false);
    List<String> with = run(true);
    assertTrue(without.get(0).startsWith("cpu "), without.toString());
    assertTrue(without.get(1).contains("auto: cpu (the JVM lacks jdk.incubator.vector"),
        without.toString());
    assertTrue(with.get(0).startsWith("vector "), with.toString());
    assertTrue(with.get(1).contains("auto: vector"), with.toString());
    // the same loss from both kernels
    assertEquals(without.get(0).substring(4), with.get(0).substring(7));
  }

  @Test
  void autoTrainsSmallEpochsOnTheScalarKernelsAndLeavesOtherNamesAlone() {
    // logistic regression on synth-1M: 29 parameters, 400,416 rows a worker (1.16e7 <= 2^24)
    assertEquals("cpu", ComputeBackends.forWork("auto", 29, 400_416, 0));
    assertTrue(ComputeBackends.describe("auto", 29, 400_416, 0).startsWith(
        "compute backend auto: cpu (a model of 29 parameters on at most 400416 rows"),
        ComputeBackends.describe("auto", 29, 400_416, 0));
    // the perceptron 28-64-64-1 on the same rows, and logistic regression on 4M rows: auto
    assertEquals("auto", ComputeBackends.forWork("auto", 6_337, 400_416, 0));
    assertEquals("auto", ComputeBackends.forWork("auto", 29, 2_000_000, 0));
    assertEquals(ComputeBackends.describe("auto"), ComputeBackends.describe("auto", 29,
        2_000_000, 0));
    // the boundary, and a name given explicitly is kept whatever the work
    assertEquals("cpu", ComputeBackends.forWork("auto", 1 << 12, 1 << 12, 0));
    assertEquals("auto", ComputeBackends.forWork("auto", (1 << 12) + 1, 1 << 12, 0));
    assertEquals("vector", ComputeBackends.forWork("vector", 29, 400_416, 0));
  }

  /** A JVM that has trained before keeps auto for small work too, and says why. */
  @Test
  void aJvmThatTrainedBeforeKeepsAutoForSmallWork() {
    assertEquals("auto", ComputeBackends.forWork("auto", 29, 400_416, 1));
    assertEquals("cpu", ComputeBackends.forWork("cpu", 29, 400_416, 3));
    String why = ComputeBackends.describe("auto", 29, 400_416, 2);
    if (ComputeBackends.vectorAvailable()) {
      assertTrue(why.startsWith("compute backend auto: vector (a model of 29 parameters on at "
          + "most 400416 rows a worker is 1.2e+07 parameter-rows an epoch, at most 1.7e+07, but "
          + "this JVM has trained 2 models before"), why);
    } else {
      assertEquals(ComputeBackends.describe("auto"), why);
    }
  }
}
