package io.sparkps.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sparse models on sparse rows: central finite differences against the analytic gradient
 * (lazy regularization included: the objective's penalty covers the touched keys, so untouched
 * keys have a zero gradient both ways), agreement with the dense models on the same rows, and
 * Rendle's O(K nnz) form against the pairwise definition.
 */
class SparseModelTest {
  private static final int ROWS = 7;
  private static final int KEYS = 13;
  private static final int FIELDS = 3;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Regularizer r : new Regularizer[] {Regularizer.NONE, Regularizer.elasticNet(0.3, 0.4)}) {
      out.add(Arguments.of("linear", new SparseLinearSpec(KEYS, 1, new Loss.SquaredError()), r));
      out.add(Arguments.of("linear huber", new SparseLinearSpec(KEYS, 1, new Loss.Huber(0.5)), r));
      out.add(Arguments.of("logistic", new SparseLinearSpec(KEYS, 1, new Loss.LogLoss()), r));
      out.add(Arguments.of("softmax", new SparseLinearSpec(KEYS, 3, new Loss.CrossEntropy()), r));
      out.add(Arguments.of("fm log", new FmSpec(KEYS, 3, new Loss.LogLoss(), 0.5), r));
      out.add(Arguments.of("fm squared", new FmSpec(KEYS, 2, new Loss.SquaredError(), 0.5), r));
      out.add(Arguments.of("wide-deep log", new WideDeepSpec(KEYS, FIELDS, 2, List.of(4),
          Activation.TANH, new Loss.LogLoss(), 0.5), r));
      out.add(Arguments.of("wide-deep relu squared", new WideDeepSpec(KEYS, FIELDS, 3,
          List.of(5, 3), Activation.LEAKY_RELU, new Loss.SquaredError(), 0.5), r));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with {2}")
  @MethodSource("cases")
  void analyticGradientMatchesFiniteDifferences(String name, ModelSpec spec, Regularizer reg) {
    Model model = spec.build();
    Objective objective = new Objective(model, reg);
    SparseBlock block = randomBlock(spec, 11);
    float[] params = new float[model.parameterCount()];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) (rng.nextDouble() * 1.2 - 0.6);
    }
    Model.Workspace ws = model.newWorkspace(ROWS);
    float[] analytic = new float[params.length];
    objective.valueAndGradient(params, block, 0, ROWS, analytic, ws);
    float[] scratch = new float[params.length];
    double diff = 0;
    double norm = 0;
    double h = 1e-3;
    for (int i = 0; i < params.length; i++) {
      float keep = params[i];
      params[i] = (float) (keep + h);
      double up = objective.valueAndGradient(params, block, 0, ROWS, scratch, ws);
      params[i] = (float) (keep - h);
      double down = objective.valueAndGradient(params, block, 0, ROWS, scratch, ws);
      params[i] = keep;
      double numeric = (up - down) / ((double) (float) (keep + h) - (double) (float) (keep - h));
      diff += (analytic[i] - numeric) * (analytic[i] - numeric);
      norm += analytic[i] * analytic[i] + numeric * numeric;
    }
    assertTrue(norm > 1e-6, "the gradient should not vanish in this check");
    double rel = Math.sqrt(diff / norm);
    assertTrue(rel < 2e-3, name + ": relative gradient error " + rel);
  }

  @ParameterizedTest(name = "{0} with {2}")
  @MethodSource("cases")
  void keysTheMinibatchDoesNotHoldGetNoGradient(String name, ModelSpec spec, Regularizer reg) {
    SparseModel model = (SparseModel) spec.build();
    SparseBlock block = randomBlock(spec, 5);
    float[] params = new float[model.parameterCount()];
    model.initialize(params, 3);
    java.util.Arrays.fill(params, 0, KEYS * model.rowWidth(), 0.25f);
    float[] grad = new float[params.length];
    new Objective(model, reg).valueAndGradient(params, block, 2, 5, grad, model.newWorkspace(3));
    int[] touched = SparseModel.touchedKeys(block, 2, 5);
    for (int j = 0; j < KEYS; j++) {
      boolean held = java.util.Arrays.binarySearch(touched, j) >= 0;
      for (int c = 0; c < model.rowWidth(); c++) {
        if (!held) {
          assertEquals(0f, grad[j * model.rowWidth() + c], name + " key " + j);
        }
      }
    }
  }

  @Test
  void sparseRegressionsMatchTheDenseModelsOnTheSameRows() {
    for (ModelSpec sparse : List.of(new SparseLinearSpec(KEYS, 1, new Loss.LogLoss()),
        new SparseLinearSpec(KEYS, 4, new Loss.CrossEntropy()),
        new SparseLinearSpec(KEYS, 1, new Loss.SquaredError()))) {
      ModelSpec dense = switch (sparse.task()) {
        case BINARY -> ModelSpec.logistic(KEYS);
        case MULTICLASS -> ModelSpec.softmax(KEYS, 4);
        case REGRESSION -> ModelSpec.linear(KEYS, new Loss.SquaredError());
      };
      SparseBlock block = randomBlock(sparse, 17);
      ExampleBlock rows = block.toDense();
      Model s = sparse.build();
      Model d = dense.build();
      float[] params = new float[s.parameterCount()];
      assertEquals(d.parameterCount(), params.length, "same layout: key rows, then biases");
      SplittableRandom rng = new SplittableRandom(1);
      for (int i = 0; i < params.length; i++) {
        params[i] = (float) rng.nextGaussian();
      }
      float[] gs = new float[params.length];
      float[] gd = new float[params.length];
      double ls = new Objective(s, Regularizer.NONE).valueAndGradient(params, block, 0, ROWS, gs,
          s.newWorkspace(ROWS));
      double ld = new Objective(d, Regularizer.NONE).valueAndGradient(params, rows, 0, ROWS, gd,
          d.newWorkspace(ROWS));
      assertEquals(ld, ls, 1e-5 * Math.abs(ld), sparse.name());
      assertArrayEquals(gd, gs, 1e-5f, sparse.name());
      float[] ps = new float[ROWS * s.outputs()];
      float[] pd = new float[ROWS * s.outputs()];
      s.predict(params, block, 0, ROWS, ps, s.newWorkspace(ROWS));
      d.predict(params, rows, 0, ROWS, pd, d.newWorkspace(ROWS));
      assertArrayEquals(pd, ps, 1e-5f, sparse.name());
    }
  }

  @Test
  void factorizationMachineEqualsItsPairwiseDefinition() {
    FmSpec spec = new FmSpec(KEYS, 4, new Loss.SquaredError(), 0.7);
    FactorizationMachine fm = spec.build();
    float[] p = new float[fm.parameterCount()];
    fm.initialize(p, 9);
    SplittableRandom rng = new SplittableRandom(2);
    for (int j = 0; j < KEYS; j++) {
      p[j * 5] = (float) rng.nextGaussian();
    }
    p[KEYS * 5] = 0.3f;
    SparseBlock block = randomBlock(spec, 23);
    float[] out = new float[ROWS];
    fm.predict(p, block, 0, ROWS, out, fm.newWorkspace(ROWS));
    for (int i = 0; i < ROWS; i++) {
      double y = p[KEYS * 5];
      int from = block.rowStart()[i];
      int to = block.rowStart()[i + 1];
      for (int a = from; a < to; a++) {
        int ja = block.indices()[a];
        y += p[ja * 5] * block.values()[a];
        for (int b = a + 1; b < to; b++) {
          int jb = block.indices()[b];
          double dot = 0;
          for (int f = 0; f < 4; f++) {
            dot += p[ja * 5 + 1 + f] * p[jb * 5 + 1 + f];
          }
          y += dot * block.values()[a] * block.values()[b];
        }
      }
      assertEquals(y, out[i], 1e-5 * Math.max(1, Math.abs(y)), "row " + i);
    }
  }

  @Test
  void perKeyInitializationDependsOnlyOnSeedAndKey() {
    FactorizationMachine small = FmSpec.of(16, 4, new Loss.LogLoss()).build();
    FactorizationMachine large = FmSpec.of(1 << 12, 4, new Loss.LogLoss()).build();
    float[] a = new float[small.parameterCount()];
    float[] b = new float[large.parameterCount()];
    small.initialize(a, 42);
    large.initialize(b, 42);
    assertArrayEquals(java.util.Arrays.copyOf(a, 16 * 5), java.util.Arrays.copyOf(b, 16 * 5),
        "key j starts the same whatever the key space");
    float[] row = new float[5];
    large.initializeRow(row, 0, 3000, 42);
    assertArrayEquals(java.util.Arrays.copyOfRange(b, 3000 * 5, 3001 * 5), row);
    double sum = 0;
    double sumSq = 0;
    for (int j = 0; j < (1 << 12); j++) {
      for (int f = 1; f < 5; f++) {
        sum += b[j * 5 + f];
        sumSq += b[j * 5 + f] * b[j * 5 + f];
      }
    }
    int n = (1 << 12) * 4;
    assertEquals(0, sum / n, 0.001);
    assertEquals(FmSpec.DEFAULT_INIT_SCALE, Math.sqrt(sumSq / n), 0.0005);
  }

  @Test
  void wideDeepRefusesRowsWithoutFieldsAndModelsRefuseWiderData() {
    Model wd = WideDeepSpec.of(KEYS, FIELDS, 2, List.of(4), Activation.RELU, new Loss.LogLoss())
        .build();
    SparseBlock noFields = SparseBlock.of(1, KEYS, new int[] {0, 1}, new int[] {2},
        new float[] {1}, new float[] {1});
    float[] p = new float[wd.parameterCount()];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> wd.loss(p, noFields, 0, 1, wd.newWorkspace(1)));
    assertTrue(e.getMessage().contains("--categorical"), e.getMessage());
    Model lr = new SparseLinearSpec(4, 1, new Loss.LogLoss()).build();
    e = assertThrows(IllegalArgumentException.class, () -> lr.loss(new float[5], noFields, 0, 1,
        lr.newWorkspace(1)));
    assertTrue(e.getMessage().contains("has 4 keys, the data has indices up to 12"),
        e.getMessage());
  }

  /** 1 to 4 distinct keys per row, each entry in a field, values in [-1, 1). */
  static SparseBlock randomBlock(ModelSpec spec, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] start = new int[ROWS + 1];
    List<Integer> idx = new ArrayList<>();
    List<Float> val = new ArrayList<>();
    List<Short> fld = new ArrayList<>();
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      java.util.TreeSet<Integer> keys = new java.util.TreeSet<>();
      int n = 1 + rng.nextInt(4);
      while (keys.size() < n) {
        keys.add(rng.nextInt(KEYS));
      }
      for (int j : keys) {
        idx.add(j);
        val.add((float) (rng.nextDouble() * 2 - 1));
        fld.add((short) (j % FIELDS));
      }
      start[i + 1] = idx.size();
      y[i] = switch (spec.task()) {
        case REGRESSION -> (float) (rng.nextDouble() * 4 - 2);
        case BINARY -> rng.nextInt(2);
        case MULTICLASS -> rng.nextInt(spec.outputs());
      };
    }
    int[] ia = idx.stream().mapToInt(Integer::intValue).toArray();
    float[] va = new float[val.size()];
    short[] fa = new short[fld.size()];
    for (int e = 0; e < va.length; e++) {
      va[e] = val.get(e);
      fa[e] = fld.get(e);
    }
    return new SparseBlock(ROWS, KEYS, start, ia, va, y, fa, FIELDS);
  }
}
