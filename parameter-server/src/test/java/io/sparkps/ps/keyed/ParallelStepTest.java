package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A request large enough to be stepped in parallel ranges ({@link KeyChunks#PARALLEL_KEYS})
 * gives every key the floats of one rule step on that key alone, on one thread.
 */
class ParallelStepTest {
  private static final int WIDTH = 9;

  @Test
  void largeRequestsStepEachKeyAsOneThreadWould() {
    SparseOptimizer rule = new SparseAdaGrad(0.05, 0.01, 1e-8);
    KeyedTable t = new KeyedTable(WIDTH, rule, RowInitializer.zeros(WIDTH), 1L << 30);
    SplittableRandom rnd = new SplittableRandom(15);
    int n = 3 * KeyChunks.PARALLEL_KEYS + 17;
    long[] keys = rnd.longs(n).sorted().distinct().toArray();
    float[][] grads = new float[3][keys.length * WIDTH];
    for (float[] g : grads) {
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) rnd.nextGaussian();
      }
    }
    float[] expected = new float[keys.length * 2 * WIDTH];
    for (int k = 0; k < keys.length; k++) {
      rule.create(new float[WIDTH], 0, expected, k * 2 * WIDTH, WIDTH);
      for (float[] g : grads) {
        rule.update(expected, k * 2 * WIDTH, g, k * WIDTH, WIDTH);
      }
    }
    for (float[] g : grads) {
      assertEquals(-1, t.push(keys, g));
    }
    float[] record = new float[2 * WIDTH];
    for (int k = 0; k < keys.length; k++) {
      t.readRecord(keys[k], record, 0);
      assertArrayEquals(Arrays.copyOfRange(expected, k * 2 * WIDTH, (k + 1) * 2 * WIDTH),
          record, "key " + keys[k] + " at position " + k);
    }
    float[] rows = new float[keys.length * WIDTH];
    t.pull(keys, rows);
    for (int k = 0; k < keys.length; k++) {
      assertArrayEquals(Arrays.copyOfRange(expected, k * 2 * WIDTH, k * 2 * WIDTH + WIDTH),
          Arrays.copyOfRange(rows, k * WIDTH, (k + 1) * WIDTH), "pulled key " + keys[k]);
    }
  }

  @Test
  void theFirstNonFiniteKeyIsReportedWhateverRangeHoldsIt() {
    KeyedTable t = new KeyedTable(WIDTH, new SparseAdaGrad(0.05, 0, 1e-8),
        RowInitializer.zeros(WIDTH), 1L << 30);
    int n = 4 * KeyChunks.PARALLEL_KEYS;
    long[] keys = new long[n];
    for (int k = 0; k < n; k++) {
      keys[k] = 10L * k;
    }
    float[] g = new float[n * WIDTH];
    Arrays.fill(g, 0.5f);
    g[(n - 5) * WIDTH + 3] = Float.MAX_VALUE; // its square overflows the sum of squares
    g[(n / 2 + 1) * WIDTH] = Float.MAX_VALUE;
    assertEquals(n / 2 + 1, t.push(keys, g));
  }
}
