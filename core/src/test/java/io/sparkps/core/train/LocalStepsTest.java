package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule of --local-steps auto on measured compute and round trips. */
class LocalStepsTest {

  @Test
  void aCheapStepIsBoundByTheStalenessLimit() {
    // logistic regression on 320k rows a worker: 0.04 ms a step, 1 ms round trip (2 ms floor)
    LocalSteps k = LocalSteps.choose(4e-5, 1e-3, 320_000, 256);
    assertEquals(128, k.hide());
    assertEquals(128, k.bound());
    assertEquals(128, k.steps());
    // a smaller set keeps 8 averagings an epoch: 40k rows of 256 = 156 minibatches, 16 steps
    assertEquals(16, LocalSteps.choose(4e-5, 1e-3, 40_000, 256).steps());
    // under 10k rows a worker: one step, whatever the measurements
    assertEquals(1, LocalSteps.choose(4e-5, 1e-3, 9_999, 8).steps());
  }

  @Test
  void aCostlierStepHidesTheWaitWithFewerSteps() {
    // the perceptron: 0.2 ms a step; the 2 ms floor applies to a 0.5 ms round trip
    LocalSteps k = LocalSteps.choose(2e-4, 5e-4, 320_000, 128);
    assertEquals(64, k.steps()); // 32 x 0.2 ms = 6.4 ms < 4 x 2 ms; 64 x 0.2 = 12.8 ms
    assertTrue(k.steps() * 2e-4 >= LocalSteps.COMPUTE_TO_WAIT * LocalSteps.WAIT_FLOOR_SECONDS);
    // a slow network (200 ms a round trip) would need 400 steps of 2 ms: the cap is 128
    assertEquals(128, LocalSteps.choose(2e-3, 0.2, 10_000_000, 128).steps());
    // a step that costs more than 4 round trips needs no local steps at all
    assertEquals(1, LocalSteps.choose(0.05, 0.01, 10_000_000, 128).steps());
  }

  @Test
  void smallDataPushesGradientsEveryRound() {
    assertEquals(1, LocalSteps.choose(1e-6, 1e-3, 227, 64).steps());
    assertTrue(LocalSteps.choose(1e-6, 1e-3, 227, 64).explain().startsWith(
        "local steps auto: 1 "));
  }

  @Test
  void aStepTooSmallToMatterIsNotMeasured() {
    // logistic regression on synth (29 parameters, batches of 256, 400k rows a worker): even at
    // 0.5 GFLOP/s a step takes 0.089 ms, and 64 of them 5.7 ms < 4 x 2 ms: the bound, 128
    LocalSteps k = LocalSteps.unmeasured(29, 400_000, 256).orElseThrow();
    assertEquals(128, k.steps());
    assertEquals(LocalSteps.choose(4e-5, 1e-3, 400_000, 256).steps(), k.steps(),
        "what the measured 0.04 ms step and 1 ms round trip chose");
    assertTrue(k.explainUnmeasured(29, 256).contains("0.089 ms"), k.explainUnmeasured(29, 256));
    // a smaller bound tolerates a larger model: 40k rows of 256 keep at most 16 steps; 8 steps of
    // a 300-parameter model at 0.5 GFLOP/s (0.92 ms each) stay under 4 x 2 ms, of 400 (1.23 ms)
    // they do not
    assertEquals(16, LocalSteps.unmeasured(300, 40_000, 256).orElseThrow().steps());
    assertTrue(LocalSteps.unmeasured(400, 40_000, 256).isEmpty());
    // the perceptron 28-64-64-1 (6,337 parameters, batches of 128) could go either way: measured
    assertTrue(LocalSteps.unmeasured(6_337, 400_000, 128).isEmpty());
    // 1,000 parameters at 256 rows: 3.1 ms at the slow speed, 4 steps would do: measured
    assertTrue(LocalSteps.unmeasured(1_000, 400_000, 256).isEmpty());
  }
}
