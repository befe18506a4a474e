package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SGD, heavy-ball momentum and Nesterov against numbers worked out by hand. */
class MomentumRulesTest {

  private static final float TOL = 1e-6f;

  @Test
  void sgdStepsAgainstTheGradient() {
    Sgd sgd = Sgd.of(0.1);
    OptimizerState state = sgd.newState(3);
    float[] w = {1f, -2f, 0.5f};
    // w -= 0.1 * g with g = (0.5, 1, -2): (1 - 0.05, -2 - 0.1, 0.5 + 0.2) = (0.95, -2.1, 0.7)
    sgd.step(w, new float[] {0.5f, 1f, -2f}, state, 1);
    assertArrayEquals(new float[] {0.95f, -2.1f, 0.7f}, w, TOL);
    // g = (1, 0, 0.5): (0.95 - 0.1, -2.1, 0.7 - 0.05) = (0.85, -2.1, 0.65)
    sgd.step(w, new float[] {1f, 0f, 0.5f}, state, 2);
    assertArrayEquals(new float[] {0.85f, -2.1f, 0.65f}, w, TOL);
    assertEquals(0, state.slotCount());
  }

  @Test
  void sgdFollowsItsSchedule() {
    Sgd sgd = new Sgd(new LearningRateSchedule.StepDecay(0.1, 1, 0.5));
    float[] w = {1f, 1f};
    float[] g = {1f, -1f};
    // rates 0.1, 0.05, 0.025: w0 = 1 - 0.1 - 0.05 - 0.025 = 0.825; w1 = 1 + 0.175 = 1.175
    for (long t = 1; t <= 3; t++) {
      sgd.step(w, g, sgd.newState(2), t);
    }
    assertArrayEquals(new float[] {0.825f, 1.175f}, w, TOL);
  }

  @Test
  void momentumAccumulatesVelocity() {
    Momentum momentum = new Momentum(new LearningRateSchedule.Constant(0.1), 0.9);
    OptimizerState state = momentum.newState(2);
    float[] w = {1f, -2f};
    // t=1, g = (0.5, 1): v = (0.5, 1); w = (1 - 0.05, -2 - 0.1) = (0.95, -2.1)
    momentum.step(w, new float[] {0.5f, 1f}, state, 1);
    assertArrayEquals(new float[] {0.95f, -2.1f}, w, TOL);
    // t=2, g = (0.5, 1): v = (0.45 + 0.5, 0.9 + 1) = (0.95, 1.9);
    // w = (0.95 - 0.095, -2.1 - 0.19) = (0.855, -2.29)
    momentum.step(w, new float[] {0.5f, 1f}, state, 2);
    assertArrayEquals(new float[] {0.855f, -2.29f}, w, TOL);
    assertArrayEquals(new float[] {0.95f, 1.9f}, state.slot(0), TOL);
    // t=3, g = (0, -1): v = (0.855, 1.71 - 1) = (0.855, 0.71);
    // w = (0.855 - 0.0855, -2.29 - 0.071) = (0.7695, -2.361)
    momentum.step(w, new float[] {0f, -1f}, state, 3);
    assertArrayEquals(new float[] {0.7695f, -2.361f}, w, TOL);
    assertArrayEquals(new float[] {0.855f, 0.71f}, state.slot(0), TOL);
  }

  @Test
  void nesterovLooksAhead() {
    Nesterov nesterov = new Nesterov(new LearningRateSchedule.Constant(0.1), 0.9);
    OptimizerState state = nesterov.newState(2);
    float[] w = {1f, -2f};
    // t=1, g = (0.5, 1): v = (0.5, 1); g + 0.9 v = (0.95, 1.9);
    // w = (1 - 0.095, -2 - 0.19) = (0.905, -2.19)
    nesterov.step(w, new float[] {0.5f, 1f}, state, 1);
    assertArrayEquals(new float[] {0.905f, -2.19f}, w, TOL);
    // t=2, g = (0.5, 1): v = (0.95, 1.9); g + 0.9 v = (0.5 + 0.855, 1 + 1.71) = (1.355, 2.71);
    // w = (0.905 - 0.1355, -2.19 - 0.271) = (0.7695, -2.461)
    nesterov.step(w, new float[] {0.5f, 1f}, state, 2);
    assertArrayEquals(new float[] {0.7695f, -2.461f}, w, TOL);
    assertArrayEquals(new float[] {0.95f, 1.9f}, state.slot(0), TOL);
  }
}
