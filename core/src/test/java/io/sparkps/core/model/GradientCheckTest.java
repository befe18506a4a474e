package io.sparkps.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences against backpropagation, for every model, activation, loss and
 * regularizer. The objective is evaluated in double over float parameters, so the step is a
 * compromise between truncation and rounding error; the comparison is on the whole vector.
 */
class GradientCheckTest {
  private static final int ROWS = 7;
  private static final int FEATURES = 5;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    Regularizer[] regs = {Regularizer.NONE, Regularizer.l2(0.3), Regularizer.l1(0.2),
        Regularizer.elasticNet(0.4, 0.5)};
    for (Regularizer r : regs) {
      out.add(Arguments.of("linear squared", ModelSpec.linear(FEATURES, new Loss.SquaredError()), r));
      out.add(Arguments.of("linear huber", ModelSpec.linear(FEATURES, new Loss.Huber(0.5)), r));
      out.add(Arguments.of("logistic", ModelSpec.logistic(FEATURES), r));
      out.add(Arguments.of("softmax", ModelSpec.softmax(FEATURES, 3), r));
    }
    for (Activation a : Activation.values()) {
      for (Task t : Task.values()) {
        out.add(Arguments.of("mlp " + a + " " + t, ModelSpec.mlp(FEATURES, List.of(6, 4), a, t, 3,
            t == Task.REGRESSION ? new Loss.Huber(1.0) : new Loss.SquaredError()),
            Regularizer.elasticNet(0.1, 0.3)));
      }
    }
    out.add(Arguments.of("mlp squared one layer",
        ModelSpec.mlp(FEATURES, List.of(8), Activation.TANH, Task.REGRESSION, 0,
            new Loss.SquaredError()), Regularizer.NONE));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with {2}")
  @MethodSource("cases")
  void analyticGradientMatchesFiniteDifferences(String name, ModelSpec spec, Regularizer reg) {
    Model model = spec.build();
    Objective objective = new Objective(model, reg);
    ExampleBlock block = randomBlock(spec, 11);
    float[] params = new float[model.parameterCount()];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) (rng.nextDouble() * 1.2 - 0.6);
    }
    Model.Workspace ws = model.newWorkspace(ROWS);
    float[] analytic = new float[params.length];
    objective.valueAndGradient(params, block, 0, ROWS, analytic, ws);

    float[] scratch = new float[params.length];
    double[] numeric = new double[params.length];
    double h = 1e-3;
    for (int i = 0; i < params.length; i++) {
      float keep = params[i];
      params[i] = (float) (keep + h);
      double up = objective.valueAndGradient(params, block, 0, ROWS, scratch, ws);
      params[i] = (float) (keep - h);
      double down = objective.valueAndGradient(params, block, 0, ROWS, scratch, ws);
      params[i] = keep;
      numeric[i] = (up - down) / ((double) (float) (keep + h) - (double) (float) (keep - h));
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < params.length; i++) {
      diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
      norm += analytic[i] * analytic[i] + numeric[i] * numeric[i];
    }
    double rel = Math.sqrt(diff) / Math.sqrt(norm);
    assertTrue(norm > 1e-6, "the gradient should not vanish in this check");
    assertTrue(rel < 2e-3, name + ": relative gradient error " + rel);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lossAndGradientSumOverRowsLikeSeparateCalls(String name, ModelSpec spec, Regularizer reg) {
    Model model = spec.build();
    ExampleBlock block = randomBlock(spec, 3);
    float[] params = new float[model.parameterCount()];
    model.initialize(params, 5);
    Model.Workspace ws = model.newWorkspace(ROWS);
    float[] whole = new float[params.length];
    double lossWhole = model.lossAndGradient(params, block, 0, ROWS, whole, ws);
    float[] parts = new float[params.length];
    double lossParts = model.lossAndGradient(params, block, 0, 3, parts, ws)
        + model.lossAndGradient(params, block, 3, ROWS, parts, ws);
    assertEquals(lossWhole, lossParts, 1e-5 * Math.max(1, Math.abs(lossWhole)));
    for (int i = 0; i < params.length; i++) {
      assertEquals(whole[i], parts[i], 1e-5f * Math.max(1f, Math.abs(whole[i])), "param " + i);
    }
  }

  static ExampleBlock randomBlock(ModelSpec spec, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[ROWS * FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      y[i] = switch (spec.task()) {
        case REGRESSION -> (float) (rng.nextDouble() * 4 - 2);
        case BINARY -> rng.nextInt(2);
        case MULTICLASS -> rng.nextInt(spec.outputs());
      };
    }
    return new ExampleBlock(ROWS, FEATURES, x, y);
  }
}
