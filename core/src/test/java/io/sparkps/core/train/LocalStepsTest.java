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
}
