package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each sparse rule against a step worked out by hand (the arithmetic is in the comments). */
class SparseOptimizerTest {
  private static final long BIG = 1L << 40;

  private static KeyedTable table(int width, SparseOptimizer opt, RowInitializer init) {
    return new KeyedTable(width, opt, init, BIG);
  }

  private static float[] pull(KeyedTable t, long... keys) {
    float[] out = new float[keys.length * t.width()];
    t.pull(keys, out);
    return out;
  }

  @Test
  void adaGradFoldsLazyL2IntoTheGradient() {
    // lr 0.1, l2 0.5, initial row [1, -2], gradient [0.5, 1] twice.
    KeyedTable t = table(2, new SparseAdaGrad(0.1, 0.5, 1e-10),
        (key, row, off) -> { row[off] = 1f; row[off + 1] = -2f; });
    t.push(new long[] {7}, new float[] {0.5f, 1f});
    // slot 0: g = 0.5 + 0.5 * 1 = 1, G = 1, w = 1 - 0.1 * 1 / 1 = 0.9
    // slot 1: g = 1 + 0.5 * -2 = 0 (the L2 cancels the gradient), G = 0, w = -2
    assertArrayEquals(new float[] {0.9f, -2f}, pull(t, 7), 1e-7f);
    t.push(new long[] {7}, new float[] {0.5f, 1f});
    // slot 0: g = 0.5 + 0.5 * 0.9 = 0.95, G = 1 + 0.9025 = 1.9025,
    //         w = 0.9 - 0.1 * 0.95 / sqrt(1.9025) = 0.9 - 0.068875 = 0.831125
    assertArrayEquals(new float[] {0.831125f, -2f}, pull(t, 7), 1e-6f);
    float[] record = new float[4];
    t.readRecord(7, record, 0);
    assertArrayEquals(new float[] {0.831125f, -2f, 1.9025f, 0f}, record, 1e-6f);
  }

  @Test
  void lazyAdamCorrectsBiasByEachKeysOwnStepCount() {
    // lr 0.1, beta1 0.9, beta2 0.999, epsilon 1e-8; key 1 pushed in rounds 1 and 2, key 2 only
    // in round 2.
    KeyedTable t = table(1, LazyAdam.of(0.1), RowInitializer.zeros(1));
    t.push(new long[] {1}, new float[] {1f});
    // key 1, t = 1: m = 0.1, v = 0.001, w = 0 - (0.1 / 0.1) * 0.1 / (sqrt(0.001) / sqrt(0.001))
    //         = -0.1 (a first Adam step moves by lr * sign(g))
    assertArrayEquals(new float[] {-0.1f}, pull(t, 1), 1e-7f);
    t.push(new long[] {1, 2}, new float[] {3f, 4f});
    // key 1, t = 2: m = 0.9 * 0.1 + 0.1 * 3 = 0.39, v = 0.999 * 0.001 + 0.001 * 9 = 0.009999,
    //   step size 0.1 / (1 - 0.81) = 0.5263158, sqrt(1 - 0.999^2) = 0.0447102,
    //   w = -0.1 - 0.5263158 * 0.39 / (sqrt(0.009999) / 0.0447102) = -0.1 - 0.0917781 = -0.1917781
    // key 2, its own t = 1 (not the round, 2): w = 0 - 0.1 * sign(4) = -0.1
    assertArrayEquals(new float[] {-0.1917781f, -0.1f}, pull(t, 1, 2), 1e-6f);
    float[] record = new float[4];
    t.readRecord(1, record, 0);
    assertEquals(2, LazyAdam.steps(record, 0, 1));
    assertEquals(0.39f, record[1], 1e-7f);
    assertEquals(0.009999f, record[2], 1e-9f);
    t.readRecord(2, record, 0);
    assertEquals(1, LazyAdam.steps(record, 0, 1));
    assertEquals(0.4f, record[1], 1e-7f);
  }

  @Test
  void ftrlKeepsExactZerosWithinL1AndStoresOnlyZAndN() {
    // alpha 0.1, beta 1, l1 1, l2 0.5; gradients [0.5, 3] then [0.5, -1].
    Ftrl ftrl = new Ftrl(0.1, 1, 1, 0.5);
    KeyedTable t = table(2, ftrl, RowInitializer.zeros(2));
    assertEquals(4, t.recordFloats(), "z and n per coordinate, no stored weight");
    t.push(new long[] {5}, new float[] {0.5f, 3f});
    // slot 0: sigma = (sqrt(0.25) - 0) / 0.1 = 5, z = 0.5 - 5 * 0 = 0.5, n = 0.25;
    //         |z| <= l1, so w = 0 exactly
    // slot 1: sigma = 3 / 0.1 = 30, z = 3, n = 9; w = -(3 - 1) / ((1 + 3) / 0.1 + 0.5)
    //         = -2 / 40.5 = -0.0493827
    float[] w = pull(t, 5);
    assertEquals(0f, w[0]);
    assertEquals(-2 / 40.5f, w[1], 1e-7f);
    t.push(new long[] {5}, new float[] {0.5f, -1f});
    // slot 0: n = 0.5, z = 0.5 + 0.5 - sigma * 0 = 1, |z| <= l1: still exactly 0
    // slot 1: sigma = (sqrt(10) - 3) / 0.1 = 1.6227766, z = 3 - 1 - 1.6227766 * -0.0493827
    //         = 2.0801370, n = 10; w = -(2.0801370 - 1) / ((1 + sqrt(10)) / 0.1 + 0.5)
    //         = -1.0801370 / 42.1227766 = -0.0256426
    w = pull(t, 5);
    assertEquals(0f, w[0]);
    assertEquals(-0.0256426f, w[1], 1e-7f);
    float[] record = new float[4];
    t.readRecord(5, record, 0);
    assertArrayEquals(new float[] {1f, 2.080137f, 0.5f, 10f}, record, 1e-6f);
  }

  @Test
  void ftrlStartsFromNonZeroInitialWeights() {
    Ftrl ftrl = new Ftrl(0.05, 1, 0.3, 0.2);
    KeyedTable t = table(3, ftrl, (key, row, off) -> {
      row[off] = 0.25f;
      row[off + 1] = -0.125f;
      row[off + 2] = 0f;
    });
    assertArrayEquals(new float[] {0.25f, -0.125f, 0f}, pull(t, 9), 1e-7f);
  }

  @Test
  void badHyperParametersNameTheValueAndTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Ftrl(0, 1, 1, 0));
    assertEquals("FTRL alpha must be a finite number above 0, got 0.0; the paper's examples "
        + "use 0.05 to 0.1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LazyAdam(0.1, 1, 0.999, 1e-8, 0));
    assertTrue(e.getMessage().startsWith("Adam beta1 must be in [0, 1), got 1.0"));
    e = assertThrows(IllegalArgumentException.class, () -> new SparseAdaGrad(0.1, -1, 1e-10));
    assertTrue(e.getMessage().startsWith("AdaGrad L2 must be a finite number of at least 0"));
  }

  /**
   * The servers' per-key FTRL and core's dense FTRL (which steps a keyed job's tail, and which
   * the CLI's --optimizer ftrl names) give the same weights from the same start and gradients,
   * exact zeros included.
   */
  @Test
  void keyedFtrlStepsAsCoresDenseFtrl() {
    double alpha = 0.3;
    double beta = 0.1;
    double l1 = 0.05;
    double l2 = 0.01;
    Ftrl keyed = new Ftrl(alpha, beta, l1, l2);
    io.sparkps.core.optim.Ftrl dense = new io.sparkps.core.optim.Ftrl(
        new io.sparkps.core.optim.LearningRateSchedule.Constant(alpha), beta, l1, l2);
    float[] w0 = {0f, 0.4f, -0.2f, 0f};
    float[] record = new float[8];
    keyed.create(w0, 0, record, 0, 4);
    float[] params = w0.clone();
    io.sparkps.core.optim.OptimizerState state = dense.newState(4);
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    float[] row = new float[4];
    for (int t = 1; t <= 20; t++) {
      float[] g = new float[4];
      for (int i = 0; i < 4; i++) {
        g[i] = i == 3 ? (float) (0.01 * r.nextGaussian()) : (float) r.nextGaussian();
      }
      keyed.update(record, 0, g, 0, 4);
      dense.step(params, g, state, t);
      keyed.weights(record, 0, 4, row, 0);
      assertArrayEquals(params, row, 1e-5f, "step " + t);
    }
    assertEquals(0f, row[3], "a weak coordinate stays exactly 0 under L1");
    assertEquals(0f, params[3]);
  }
}
