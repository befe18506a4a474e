package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** FTRL-Proximal's dense step against numbers worked out by hand (McMahan et al. 2013). */
class FtrlTest {

  @Test
  void stepsByTheProximalFormulaAndZeroesWithinL1() {
    Ftrl ftrl = new Ftrl(new LearningRateSchedule.Constant(0.1), 1.0, 0.5, 0);
    OptimizerState state = ftrl.newState(3);
    float[] w = {0f, 2f, 0f};
    // coordinate 0: z = 0, n = 0, g = 1: sigma = (1 - 0) / 0.1 = 10; z = 1 - 10 * 0 = 1;
    //   |z| > 0.5: w = -(1 - 0.5) / ((1 + 1) / 0.1) = -0.025
    // coordinate 1: never stepped, w = 2 gives z = -2 * (1 / 0.1) - 0.5 = -20.5; g = 0 keeps
    //   z and n, and w = -(-20.5 + 0.5) / (1 / 0.1) = 2: the initial weight is kept
    // coordinate 2: g = 0.3: n = 0.09, sigma = 3, z = 0.3 - 3 * 0 = 0.3 <= 0.5: w = 0 exactly
    ftrl.step(w, new float[] {1f, 0f, 0.3f}, state, 1);
    assertArrayEquals(new float[] {-0.025f, 2f, 0f}, w, 1e-7f);
    assertEquals(0f, w[2]);
    assertArrayEquals(new float[] {1f, -20.5f, 0.3f}, state.slot(0), 1e-6f);
    assertArrayEquals(new float[] {1f, 0f, 0.09f}, state.slot(1), 1e-7f);
    // coordinate 0, g = -0.1: n = 1.01, sigma = (sqrt(1.01) - 1) / 0.1 = 0.0498756;
    //   z = 1 - 0.1 - 0.0498756 * (-0.025) = 0.90124689;
    //   w = -(0.90124689 - 0.5) / ((1 + sqrt(1.01)) / 0.1) = -0.02001244
    ftrl.step(w, new float[] {-0.1f, 0f, 0f}, state, 2);
    assertArrayEquals(new float[] {-0.02001244f, 2f, 0f}, w, 1e-7f);
    assertEquals(0.90124689f, state.slot(0)[0], 1e-6f);
  }
}
