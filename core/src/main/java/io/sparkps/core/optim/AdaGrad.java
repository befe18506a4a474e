package io.sparkps.core.optim;

/**
 * AdaGrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 2011), as PyTorch computes it with a zero initial accumulator:
 *
 * <pre>
 *   G = G + g * g
 *   w = w - lr(t) * g / (sqrt(G) + epsilon)
 * </pre>
 *
 * <p>The sum of squared gradients {@code G} is state slot 0.
 */
public record AdaGrad(LearningRateSchedule schedule, double epsilon) implements Optimizer {

  /** PyTorch's default epsilon for AdaGrad. */
  public static final double DEFAULT_EPSILON = 1e-10;

  public AdaGrad {
    Checks.schedule(schedule);
    Checks.positive("AdaGrad epsilon", epsilon, "it guards the division; use 1e-10 or 1e-8");
  }

  /** AdaGrad with epsilon 1e-10 and a constant learning rate (PyTorch uses 0.01). */
  public static AdaGrad of(double learningRate) {
    return new AdaGrad(new LearningRateSchedule.Constant(learningRate), DEFAULT_EPSILON);
  }

  @Override
  public int stateSlots() {
    return 1;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    double lr = schedule.rate(step);
    float[] sum = state.slot(0);
    for (int i = from; i < to; i++) {
      double g = gradient[i];
      double s = sum[i] + g * g;
      sum[i] = (float) s;
      params[i] = (float) (params[i] - lr * g / (Math.sqrt(s) + epsilon));
    }
  }
}
