package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Adam on an ill-conditioned convex quadratic ends at its minimum. */
class AdamConvergenceTest {

  @Test
  void adamFindsTheMinimumOfAQuadratic() {
    // f(w) = 1/2 sum_i a_i (w_i - c_i)^2, gradient a_i (w_i - c_i), minimum at c
    double[] a = {1, 10, 0.1};
    float[] c = {3f, -1f, 0.5f};
    float[] w = {0f, 0f, -2f};
    Adam adam = Adam.of(new LearningRateSchedule.Cosine(0.1, 3000, 0));
    OptimizerState state = adam.newState(w.length);
    float[] g = new float[w.length];
    for (long t = 1; t <= 3000; t++) {
      for (int i = 0; i < w.length; i++) {
        g[i] = (float) (a[i] * (w[i] - c[i]));
      }
      adam.step(w, g, state, t);
    }
    assertArrayEquals(c, w, 1e-3f);
  }
}
