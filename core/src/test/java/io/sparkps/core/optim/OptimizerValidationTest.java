package io.sparkps.core.optim;

import static io.sparkps.core.optim.LearningRateScheduleTest.assertMessage;

import org.junit.jupiter.api.Test;

/** Bad hyper-parameters and bad step arguments fail with messages naming value and fix. */
class OptimizerValidationTest {

  private static final LearningRateSchedule LR = new LearningRateSchedule.Constant(0.1);

  @Test
  void scheduleIsRequired() {
    assertMessage(() -> new Sgd(null), "schedule must be set", "Constant");
    assertMessage(() -> new Adam(null, 0.9, 0.999, 1e-8), "schedule must be set");
  }

  @Test
  void momentumCoefficientsMustBeBelowOne() {
    assertMessage(() -> new Momentum(LR, 1.0), "Momentum momentum", "[0, 1)", "got 1.0");
    assertMessage(() -> new Momentum(LR, -0.1), "Momentum momentum", "got -0.1");
    assertMessage(() -> new Nesterov(LR, Double.NaN), "Nesterov momentum", "got NaN");
  }

  @Test
  void epsilonsMustBePositive() {
    assertMessage(() -> new AdaGrad(LR, 0), "AdaGrad epsilon", "above 0", "got 0.0");
    assertMessage(() -> new RmsProp(LR, 0.9, -1e-8), "RmsProp epsilon", "got -1.0E-8");
    assertMessage(() -> new Adam(LR, 0.9, 0.999, Double.POSITIVE_INFINITY),
        "Adam epsilon", "got Infinity");
  }

  @Test
  void decayRatesMustBeInUnitInterval() {
    assertMessage(() -> new RmsProp(LR, 1.0, 1e-8), "RmsProp rho", "got 1.0");
    assertMessage(() -> new Adam(LR, 1.0, 0.999, 1e-8), "Adam beta1", "got 1.0", "0.9");
    assertMessage(() -> new Adam(LR, 0.9, 1.5, 1e-8), "Adam beta2", "got 1.5", "0.999");
    assertMessage(() -> new AdamW(LR, -0.5, 0.999, 1e-8, 0.01), "AdamW beta1", "got -0.5");
  }

  @Test
  void weightDecayMustBeNonNegative() {
    assertMessage(() -> new AdamW(LR, 0.9, 0.999, 1e-8, -0.01),
        "AdamW weightDecay", "at least 0", "got -0.01");
  }

  @Test
  void stepArgumentsAreChecked() {
    Adam adam = Adam.of(0.1);
    float[] w = new float[3];
    assertMessage(() -> adam.step(w, new float[3], adam.newState(3), 0), "at least 1, got 0");
    assertMessage(() -> adam.step(w, new float[2], adam.newState(3), 1),
        "gradient length 2 does not match params length 3");
    assertMessage(() -> adam.step(w, new float[3], OptimizerState.zeros(1, 3), 1),
        "state has 1 slots but Adam needs 2", "newState");
    assertMessage(() -> adam.step(w, new float[3], adam.newState(4), 1),
        "state slot 0 has length 4 but params have length 3");
  }
}
