package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.DenseSpec;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.model.WideDeepSpec;
import io.sparkps.core.optim.OptimizerState;
import io.sparkps.core.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A compact batch's gradient against the full model's: the rows of the touched keys and the
 * tail are equal (the same floats, computed in the same order), every other row of the full
 * gradient is zero; and K local SGD steps over the compact vector move the touched rows and the
 * tail exactly as over the full vector.
 */
class CompactBatchTest {
  private static final int KEYS = 500;
  private static final int FIELDS = 3;
  private static final Regularizer REG = Regularizer.elasticNet(0.01, 0.02);

  static Stream<ModelSpec> specs() {
    return Stream.of(
        new SparseLinearSpec(KEYS, 1, new Loss.LogLoss()),
        new SparseLinearSpec(KEYS, 3, new Loss.CrossEntropy()),
        new FmSpec(KEYS, 4, new Loss.LogLoss(), 0.3),
        new WideDeepSpec(KEYS, FIELDS, 2, List.of(5), Activation.TANH, new Loss.LogLoss(), 0.3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void compactGradientIsTheFullGradientsTouchedRowsAndTail(ModelSpec spec) {
    SparseModel full = (SparseModel) spec.build();
    SparseBlock block = randomBlock(spec, 40, 3);
    float[] params = randomParams(full, 5);
    float[] grad = new float[full.parameterCount()];
    double value = new Objective(full, REG).valueAndGradient(params, block, 10, 26, grad,
        full.newWorkspace(16));

    CompactBatch batch = CompactBatch.of(full, block, 10, 26);
    assertTrue(batch.count() < KEYS / 4, "a minibatch of 16 rows touches few keys");
    float[] compact = new float[batch.parameterCount()];
    batch.assemble(gatherRows(full, params, batch.keys()), tail(full, params), compact);
    float[] cgrad = new float[compact.length];
    double cvalue = new Objective(batch.model(), REG).valueAndGradient(compact,
        batch.blocks().get(0), 0, 16, cgrad, batch.model().newWorkspace(16));

    assertEquals(value, cvalue, 0.0);
    float[] rows = new float[batch.rowFloats()];
    float[] ctail = new float[full.denseTail()];
    batch.split(cgrad, rows, ctail);
    assertArrayEquals(gatherRows(full, grad, batch.keys()), rows);
    assertArrayEquals(tail(full, grad), ctail);
    assertEquals(0.0, untouchedNorm(full, grad, batch.keys()), 0.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void localStepsOverTheCompactVectorMoveTheSameRows(ModelSpec spec) {
    SparseModel full = (SparseModel) spec.build();
    SparseBlock block = randomBlock(spec, 40, 9);
    float[] params = randomParams(full, 11);
    int[] from = {0, 8, 16};
    int[] to = {8, 16, 24};
    float[] after = params.clone();
    sgdSteps(full, List.of(block, block, block), from, to, after);

    CompactBatch batch = CompactBatch.of(full, List.of(block, block, block), from, to);
    float[] compact = new float[batch.parameterCount()];
    batch.assemble(gatherRows(full, params, batch.keys()), tail(full, params), compact);
    sgdSteps(batch.model(), batch.blocks(), new int[] {0, 0, 0}, new int[] {8, 8, 8}, compact);

    float[] rows = new float[batch.rowFloats()];
    float[] ctail = new float[full.denseTail()];
    batch.split(compact, rows, ctail);
    assertArrayEquals(gatherRows(full, after, batch.keys()), rows);
    assertArrayEquals(tail(full, after), ctail);
  }

  @org.junit.jupiter.api.Test
  void keysAreTheSortedUniqueIndicesAndEachEntryMapsBackToItsKey() {
    // wide keys (0 and the largest a model allows) and many repeats across three minibatches
    int cols = Integer.MAX_VALUE - 16;
    SplittableRandom rng = new SplittableRandom(17);
    int rows = 600;
    int[] start = new int[rows + 1];
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      TreeSet<Integer> row = new TreeSet<>();
      row.add(i % 7 == 0 ? 0 : rng.nextInt(50)); // frequent keys
      row.add(i % 11 == 0 ? cols - 1 : 1 << 20 | rng.nextInt(3000));
      row.add(rng.nextInt(cols)); // nearly always new
      idx.addAll(row);
      start[i + 1] = idx.size();
    }
    int[] ia = idx.stream().mapToInt(Integer::intValue).toArray();
    SparseBlock block = SparseBlock.of(rows, cols, start, ia, new float[ia.length],
        new float[rows]);
    SparseModel full = new SparseLinearSpec(cols, 1, new Loss.LogLoss()).build();
    int[] from = {0, 250, 100};
    int[] to = {250, 600, 180};
    CompactBatch batch = CompactBatch.of(full, List.of(block, block, block), from, to);

    TreeSet<Long> expected = new TreeSet<>();
    for (int e = 0; e < ia.length; e++) {
      expected.add((long) ia[e]);
    }
    assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), batch.keys());
    for (int s = 0; s < from.length; s++) {
      SparseBlock c = batch.blocks().get(s);
      assertEquals(to[s] - from[s], c.rows());
      assertEquals(batch.count(), c.cols());
      for (int e = 0; e < c.indices().length; e++) {
        assertEquals(ia[start[from[s]] + e], batch.keys()[c.indices()[e]], "entry " + e
            + " of minibatch " + s);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aRoundWithoutKeysKeepsOneUnusedRowAndADenseModelIsRefused() {
    SparseModel full = new FmSpec(KEYS, 2, new Loss.LogLoss(), 0.1).build();
    SparseBlock empty = SparseBlock.of(2, KEYS, new int[3], new int[0], new float[0],
        new float[2]);
    CompactBatch batch = CompactBatch.of(full, empty, 0, 2);
    assertEquals(0, batch.count());
    assertEquals(full.rowWidth() + full.denseTail(), batch.parameterCount());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompactBatch.withKeys(DenseSpec.logistic(4), 3));
    assertTrue(e.getMessage().contains("sparse model"), e.getMessage());
  }

  private static void sgdSteps(Model model, List<SparseBlock> blocks, int[] from, int[] to,
      float[] params) {
    Sgd sgd = Sgd.of(0.5);
    OptimizerState state = sgd.newState(params.length);
    float[] grad = new float[params.length];
    Objective objective = new Objective(model, REG);
    Model.Workspace ws = model.newWorkspace(8);
    for (int s = 0; s < from.length; s++) {
      objective.valueAndGradient(params, blocks.get(s), from[s], to[s], grad, ws);
      sgd.step(params, grad, state, s + 1);
    }
  }

  private static float[] gatherRows(SparseModel m, float[] v, long[] keys) {
    int w = m.rowWidth();
    float[] out = new float[keys.length * w];
    for (int i = 0; i < keys.length; i++) {
      System.arraycopy(v, (int) keys[i] * w, out, i * w, w);
    }
    return out;
  }

  private static float[] tail(SparseModel m, float[] v) {
    return java.util.Arrays.copyOfRange(v, m.keys() * m.rowWidth(), v.length);
  }

  private static double untouchedNorm(SparseModel m, float[] v, long[] keys) {
    TreeSet<Long> touched = new TreeSet<>();
    for (long k : keys) {
      touched.add(k);
    }
    double sum = 0;
    for (int j = 0; j < m.keys(); j++) {
      if (!touched.contains((long) j)) {
        for (int c = 0; c < m.rowWidth(); c++) {
          sum += Math.abs(v[j * m.rowWidth() + c]);
        }
      }
    }
    return sum;
  }

  private static float[] randomParams(SparseModel m, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] p = new float[m.parameterCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (rng.nextDouble() * 0.6 - 0.3);
    }
    return p;
  }

  /** Rows with 1 to 4 entries each, keys skewed to small values, one field per key. */
  static SparseBlock randomBlock(ModelSpec spec, int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] start = new int[rows + 1];
    List<Integer> idx = new ArrayList<>();
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      TreeSet<Integer> keys = new TreeSet<>();
      int n = 1 + rng.nextInt(4);
      while (keys.size() < n) {
        keys.add(rng.nextInt(KEYS));
      }
      idx.addAll(keys);
      start[i + 1] = idx.size();
      y[i] = spec.outputs() > 1 ? rng.nextInt(spec.outputs()) : rng.nextInt(2);
    }
    int[] ia = idx.stream().mapToInt(Integer::intValue).toArray();
    float[] va = new float[ia.length];
    short[] fa = new short[ia.length];
    for (int e = 0; e < ia.length; e++) {
      va[e] = (float) (rng.nextDouble() * 2 - 1);
      fa[e] = (short) (ia[e] % FIELDS);
    }
    return new SparseBlock(rows, KEYS, start, ia, va, y, fa, FIELDS);
  }
}
