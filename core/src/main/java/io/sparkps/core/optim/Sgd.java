package io.sparkps.core.optim;

/**
 * Plain stochastic gradient descent (Robbins and Monro, "A Stochastic Approximation Method",
 * 1951): {@code w -= lr(t) * g}. Keeps no state.
 */
public record Sgd(LearningRateSchedule schedule) implements Optimizer {

  public Sgd {
    Checks.schedule(schedule);
  }

  /** SGD with a constant learning rate. */
  public static Sgd of(double learningRate) {
    return new Sgd(new LearningRateSchedule.Constant(learningRate));
  }

  @Override
  public int stateSlots() {
    return 0;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    float lr = (float) schedule.rate(step);
    for (int i = from; i < to; i++) {
      params[i] -= lr * gradient[i];
    }
  }
}
