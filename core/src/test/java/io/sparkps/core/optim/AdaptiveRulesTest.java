package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** AdaGrad, RMSProp, Adam and AdamW against numbers worked out by hand. */
class AdaptiveRulesTest {

  private static final float TOL = 1e-6f;
  private static final LearningRateSchedule LR = new LearningRateSchedule.Constant(0.1);

  @Test
  void adaGradDividesBySquareRootOfSummedSquares() {
    AdaGrad adaGrad = new AdaGrad(LR, 1e-10);
    OptimizerState state = adaGrad.newState(3);
    float[] w = {1f, -2f, 3f};
    // t=1, g = (0.5, -2, 0): G = (0.25, 4, 0); g / sqrt(G) = (1, -1, 0 / (0 + eps) = 0);
    // w = (1 - 0.1, -2 + 0.1, 3) = (0.9, -1.9, 3)
    adaGrad.step(w, new float[] {0.5f, -2f, 0f}, state, 1);
    assertArrayEquals(new float[] {0.9f, -1.9f, 3f}, w, TOL);
    // t=2, g = (1.2, 0, 0): G = (0.25 + 1.44, 4, 0) = (1.69, 4, 0); sqrt(1.69) = 1.3;
    // w0 = 0.9 - 0.1 * 1.2 / 1.3 = 0.9 - 0.0923076923 = 0.8076923077
    adaGrad.step(w, new float[] {1.2f, 0f, 0f}, state, 2);
    assertArrayEquals(new float[] {0.8076923f, -1.9f, 3f}, w, TOL);
    assertArrayEquals(new float[] {1.69f, 4f, 0f}, state.slot(0), TOL);
  }

  @Test
  void rmsPropDividesByRunningRootMeanSquare() {
    RmsProp rmsProp = new RmsProp(LR, 0.9, 1e-8);
    OptimizerState state = rmsProp.newState(2);
    float[] w = {1f, -2f};
    // t=1, g = (1, -2): s = 0.1 g^2 = (0.1, 0.4); sqrt(s) = (0.316227766, 0.632455532);
    // g / sqrt(s) = (3.16227766, -3.16227766);
    // w = (1 - 0.316227766, -2 + 0.316227766) = (0.683772234, -1.683772234)
    rmsProp.step(w, new float[] {1f, -2f}, state, 1);
    assertArrayEquals(new float[] {0.68377224f, -1.6837722f}, w, TOL);
    // t=2, g = (1, 0): s = (0.9 * 0.1 + 0.1 * 1, 0.9 * 0.4) = (0.19, 0.36);
    // sqrt(0.19) = 0.435889894; w0 = 0.683772234 - 0.1 / 0.435889894
    //   = 0.683772234 - 0.229415734 = 0.454356500; w1 unchanged
    rmsProp.step(w, new float[] {1f, 0f}, state, 2);
    assertArrayEquals(new float[] {0.4543565f, -1.6837722f}, w, TOL);
    assertArrayEquals(new float[] {0.19f, 0.36f}, state.slot(0), TOL);
  }

  @Test
  void adamCorrectsMomentBias() {
    Adam adam = new Adam(LR, 0.9, 0.999, 1e-8);
    OptimizerState state = adam.newState(3);
    float[] w = {1f, -2f, 0.5f};
    // t=1, g = (0.5, -1, 0): m = 0.1 g = (0.05, -0.1, 0); v = 0.001 g^2 = (0.00025, 0.001, 0);
    // mHat = m / 0.1 = (0.5, -1, 0); vHat = v / 0.001 = (0.25, 1, 0);
    // mHat / sqrt(vHat) = (1, -1, 0); w = (0.9, -1.9, 0.5)
    adam.step(w, new float[] {0.5f, -1f, 0f}, state, 1);
    assertArrayEquals(new float[] {0.9f, -1.9f, 0.5f}, w, TOL);
    // t=2, g = (1, -1, 0): m = (0.045 + 0.1, -0.09 - 0.1, 0) = (0.145, -0.19, 0);
    // v = (0.999 * 0.00025 + 0.001, 0.000999 + 0.001, 0) = (0.00124975, 0.001999, 0);
    // 1 - 0.9^2 = 0.19; 1 - 0.999^2 = 0.001999;
    // mHat0 = 0.145 / 0.19 = 0.763157895; vHat0 = 0.00124975 / 0.001999 = 0.625187594,
    // sqrt = 0.790688051; step0 = 0.1 * 0.763157895 / 0.790688051 = 0.096518199;
    // element 1: mHat = -1, vHat = 1, step -0.1. w = (0.803481801, -1.8, 0.5)
    adam.step(w, new float[] {1f, -1f, 0f}, state, 2);
    assertArrayEquals(new float[] {0.8034818f, -1.8f, 0.5f}, w, TOL);
    assertArrayEquals(new float[] {0.145f, -0.19f, 0f}, state.slot(0), TOL);
    assertArrayEquals(new float[] {0.00124975f, 0.001999f, 0f}, state.slot(1), 1e-9f);
  }

  @Test
  void adamWDecaysEveryParameterThenTakesTheAdamStep() {
    AdamW adamW = new AdamW(LR, 0.9, 0.999, 1e-8, 0.1);
    OptimizerState state = adamW.newState(3);
    float[] w = {1f, -2f, 0.5f};
    // t=1: decay factor 1 - 0.1 * 0.1 = 0.99: (0.99, -1.98, 0.495); the Adam step is
    // (-0.1, +0.1, 0) as in adamCorrectsMomentBias: w = (0.89, -1.88, 0.495).
    // The third parameter has gradient 0 and still decays.
    adamW.step(w, new float[] {0.5f, -1f, 0f}, state, 1);
    assertArrayEquals(new float[] {0.89f, -1.88f, 0.495f}, w, TOL);
    // t=2: decay (0.89 * 0.99, -1.88 * 0.99, 0.495 * 0.99) = (0.8811, -1.8612, 0.49005);
    // Adam step (-0.096518199, +0.1, 0): w = (0.784581801, -1.7612, 0.49005)
    adamW.step(w, new float[] {1f, -1f, 0f}, state, 2);
    assertArrayEquals(new float[] {0.7845818f, -1.7612f, 0.49005f}, w, TOL);
  }

  @Test
  void adamWithoutWeightDecayIsAdam() {
    float[] a = {1f, -2f, 0.5f};
    float[] b = a.clone();
    Adam adam = Adam.of(LR);
    AdamW adamW = new AdamW(LR, 0.9, 0.999, 1e-8, 0);
    OptimizerState sa = adam.newState(3);
    OptimizerState sb = adamW.newState(3);
    float[][] grads = {{0.3f, -0.7f, 1.1f}, {-0.2f, 0.4f, 0.9f}, {0.5f, 0.5f, -0.5f}};
    for (int t = 1; t <= grads.length; t++) {
      adam.step(a, grads[t - 1], sa, t);
      adamW.step(b, grads[t - 1], sb, t);
    }
    assertArrayEquals(a, b, 0f);
  }
}
